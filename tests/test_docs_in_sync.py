"""The documentation describes the code as it is: the build fails when the two drift apart.

docs/architecture.md carries tables that are generated from the code: the roles and their
capabilities (`organisations.roles`), the rule table of each aggregate policy, the signal
workflow (`intake.workflow.TRANSITIONS`), the case workflows (`cases.workflow`) and the URL
table (the URLconf with each view's access declaration). After changing any of them, print the
tables again and paste them over the old ones (the URL table between the `<!-- generated: … -->`
markers):

    DJANGO_SETTINGS_MODULE=schakel.config.settings.test .venv/bin/python -c \\
      "import django; django.setup(); import tests.test_docs_in_sync as t; t.print_tables()"

Then fill in the "what it is" column of new rows by hand. The other checks below keep
docs/operations.md (environment variables, management commands) and the policy tables honest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import get_commands
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from schakel.core.access import ACCESS_ATTRIBUTE

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SETTINGS_DIR = ROOT / "src" / "schakel" / "config" / "settings"

ADMIN_ACCESS = "functional administrator (reference-data policy)"
URLS_START, URLS_END = "<!-- generated: urls -->", "<!-- end generated: urls -->"


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


# --- The signal workflow ----------------------------------------------------------------------


def transitions_table() -> str:
    """intake.workflow.TRANSITIONS as the markdown table in docs/architecture.md."""
    from schakel.intake.choices import SignalStatus
    from schakel.intake.workflow import TRANSITIONS

    def label(status: SignalStatus) -> str:
        return f"{status.label} (`{status.value}`)"

    order = list(SignalStatus)
    lines = ["| from | allowed to |", "|---|---|"]
    with translation.override("en"):
        for source, targets in TRANSITIONS.items():
            allowed = ", ".join(label(t) for t in sorted(targets, key=order.index))
            lines.append(f"| {label(source)} | {allowed or '— (final)'} |")
    return "\n".join(lines)


def case_tables() -> str:
    """The state tables of cases.workflow and meetings.workflow, one row per state, as in
    docs/architecture.md."""
    from schakel.cases import workflow
    from schakel.inspections.workflow import INSPECTION_TRANSITIONS
    from schakel.meetings.workflow import MEETING_TRANSITIONS

    tables = [
        ("case", workflow.CASE_TRANSITIONS),
        ("intervention", workflow.INTERVENTION_TRANSITIONS),
        ("proposal", workflow.PROPOSAL_TRANSITIONS),
        ("agreement", workflow.AGREEMENT_TRANSITIONS),
        ("referral", workflow.REFERRAL_TRANSITIONS),
        ("inspection", INSPECTION_TRANSITIONS),
        ("meeting", MEETING_TRANSITIONS),
    ]
    lines = ["| aggregate | from | allowed to |", "|---|---|---|"]
    with translation.override("en"):
        for name, table in tables:
            order = list(table)
            for source, targets in table.items():
                allowed = ", ".join(
                    f"{t.label} (`{t.value}`)" for t in sorted(targets, key=order.index)
                )
                lines.append(
                    f"| {name} | {source.label} (`{source.value}`) | {allowed or '— (final)'} |"
                )
    return "\n".join(lines)


# --- Roles and the rules of each aggregate ------------------------------------------------------


def capabilities_table() -> str:
    """organisations.roles.ROLE_CAPABILITIES as the markdown table in docs/architecture.md."""
    from schakel.organisations.roles import CAPABILITY_LABELS, ROLE_CAPABILITIES, Capability

    capabilities = list(Capability)
    with translation.override("en"):
        lines = ["| role | " + " | ".join(f"`{c.value}`" for c in capabilities) + " |"]
        lines.append("|---|" + "---|" * len(capabilities))
        for role, held in ROLE_CAPABILITIES.items():
            cells = " | ".join("yes" if c in held else "" for c in capabilities)
            lines.append(f"| {role.label} (`{role.value}`) | {cells} |")
        lines.append("")
        lines.append("| capability | what it means |")
        lines.append("|---|---|")
        lines += [f"| `{c.value}` | {CAPABILITY_LABELS[c]} |" for c in capabilities]
    return "\n".join(lines)


def rule_tables() -> str:
    """The rule table of each aggregate policy: per action, who may (any of the relations) and
    in which states."""
    from schakel.cases.policies import CASE_RULES
    from schakel.inspections.policies import INSPECTION_RULES
    from schakel.intake.policies import SIGNAL_RULES
    from schakel.meetings.policies import MEETING_RULES

    lines = []
    for name, rules in (
        ("signal", SIGNAL_RULES),
        ("case", CASE_RULES),
        ("meeting", MEETING_RULES),
        ("inspection", INSPECTION_RULES),
    ):
        lines += [f"| {name} action | who (any of) | in the states |", "|---|---|---|"]
        for action, rule in rules.items():
            who = ", ".join(f"`{r.value}`" for r in sorted(rule.who))
            states = (
                "every state"
                if rule.states is None
                else ", ".join(f"`{state}`" for state in sorted(rule.states))
            )
            lines.append(f"| `{action.value}` | {who} | {states} |")
        lines.append("")
    return "\n".join(lines).rstrip()


# --- The URL table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UrlRow:
    path: str
    name: str  # "namespace:name", or "" for an unnamed pattern
    access: str


def _clean(route: str) -> str:
    """A readable path: regex anchors dropped, pipes escaped for a markdown table cell."""
    return "/" + route.replace("^", "").replace("$", "").replace("|", r"\|")


def _access(namespace: str | None, callback: Any) -> str:
    if namespace == "admin":
        return ADMIN_ACCESS
    declared = getattr(callback, ACCESS_ATTRIBUTE, None)
    if declared is None:
        return "NOT DECLARED"
    if isinstance(declared, str):
        return declared
    policy, action = declared
    return f"governed({type(policy).__name__}, {action.name})"


def _walk(patterns: Any, namespace: str | None = None, prefix: str = "") -> list[UrlRow]:
    rows: list[UrlRow] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            rows += _walk(
                entry.url_patterns, entry.namespace or namespace, prefix + str(entry.pattern)
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            rows.append(
                UrlRow(
                    _clean(prefix + str(entry.pattern)), name, _access(namespace, entry.callback)
                )
            )
    return rows


def url_rows() -> list[UrlRow]:
    """Every pattern of the URLconf, plus the OpenID Connect pair that is mounted at /oidc/ only
    when SCHAKEL_OIDC_ENABLED is set."""
    from schakel.accounts import oidc

    rows = _walk(get_resolver().url_patterns)
    if not any(row.path.startswith("/oidc/") for row in rows):
        rows += _walk(oidc.urlpatterns, prefix="oidc/")
    return rows


def url_line(row: UrlRow) -> str:
    """The start of a row of the URL table; the application rows add a "what it is" column."""
    return f"| `{row.path}` | {f'`{row.name}`' if row.name else '—'} | {row.access} |"


def print_tables() -> None:
    print(capabilities_table(), end="\n\n")
    print(rule_tables(), end="\n\n")
    print(transitions_table(), end="\n\n")
    print(case_tables(), end="\n\n")
    application = [
        r for r in url_rows() if not r.name.startswith("admin:") and "/admin/" not in r.path
    ]
    admin = [r for r in url_rows() if r not in application]
    print("| path | name | access | what it is |\n|---|---|---|---|")
    print("\n".join(url_line(r) + "  |" for r in application), end="\n\n")
    print("| path | name | access |\n|---|---|---|")
    print("\n".join(url_line(r) for r in admin))


def url_section() -> str:
    text = read("architecture.md")
    assert URLS_START in text and URLS_END in text, "the URL table's markers are missing"
    return text.split(URLS_START, 1)[1].split(URLS_END, 1)[0]


# --- The tests --------------------------------------------------------------------------------


def test_the_signal_workflow_table_in_the_docs_is_the_one_in_the_code():
    assert transitions_table() in read("architecture.md"), (
        "docs/architecture.md does not show intake.workflow.TRANSITIONS as it is; "
        "print the table again (see this module's docstring)"
    )


def test_the_case_workflow_tables_in_the_docs_are_the_ones_in_the_code():
    assert case_tables() in read("architecture.md"), (
        "docs/architecture.md does not show the tables of cases.workflow as they are; "
        "print the tables again (see this module's docstring)"
    )


@pytest.mark.parametrize("row", [r for r in url_rows() if r.name], ids=lambda r: r.name)
def test_every_named_url_is_in_the_url_table_with_its_path_and_access(row):
    lines = url_section().splitlines()
    assert any(line.startswith(url_line(row)) for line in lines), (
        f"docs/architecture.md has no URL row starting {url_line(row)!r}; "
        "print the tables again (see this module's docstring)"
    )


def test_the_url_table_names_no_url_that_is_gone():
    names = {row.name for row in url_rows()}
    documented = set(re.findall(r"^\| `[^`]*` \| `([^`]+)` \|", url_section(), flags=re.M))
    assert documented <= names, f"URL names in the docs but not in the code: {documented - names}"


def test_every_environment_variable_the_settings_read_is_in_operations_md():
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SETTINGS_DIR.glob("*.py")))
    variables = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z0-9_]+)\"", source))
    variables |= set(re.findall(r"os\.environ\.setdefault\(\s*\"([A-Z0-9_]+)\"", source))
    assert len(variables) > 20
    operations = read("operations.md")
    missing = sorted(v for v in variables if f"`{v}`" not in operations)
    assert not missing, f"docs/operations.md does not explain: {missing}"


def test_every_management_command_of_schakel_is_in_operations_md():
    commands = sorted(name for name, app in get_commands().items() if app.startswith("schakel."))
    operations = read("operations.md")
    missing = [name for name in commands if not re.search(rf"\b{name}\b", operations)]
    assert not missing, f"docs/operations.md does not mention the commands {missing}"


def test_every_access_policy_is_described_in_architecture_md():
    from schakel.core.policies import policy_for, registered_models

    architecture = read("architecture.md")
    policies = {type(policy_for(model)).__name__ for model in registered_models()}
    missing = sorted(name for name in policies if f"`{name}`" not in architecture)
    assert not missing, f"docs/architecture.md does not describe the policies {missing}"


def test_the_role_table_in_the_docs_is_the_one_in_the_code():
    assert capabilities_table() in read("architecture.md"), (
        "docs/architecture.md does not show organisations.roles.ROLE_CAPABILITIES as it is; "
        "print the tables again (see this module's docstring)"
    )


def test_the_rule_tables_in_the_docs_are_the_ones_in_the_code():
    assert rule_tables() in read("architecture.md"), (
        "docs/architecture.md does not show the policies' rule tables as they are; "
        "print the tables again (see this module's docstring)"
    )
