"""Loading a version of the model from its YAML file (the schema: docs/assessment-model.md).

One function, `load_model`, used by the data migration (with the historical models), by
`manage.py load_assessment_model FILE` and by the tests. The file is checked as a whole before
anything is written; a version that an assessment already uses is never changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, cast

import yaml
from django.apps import apps as global_apps
from django.db import transaction
from django.utils import timezone

from .choices import FACT_KEYS, LEVELS

DATA_DIR = Path(__file__).parent / "data"
ELEMENT_CODES = ("network", "prevention", "care", "perpetrator")
BASIS_CODES = ("active-signalling", "contact-person", "policy", "victim-care")
CONDITION_COUNT = 15
VNG_THEME_COUNT = 5
TIERS = ("structure", "process")


class ModelFileError(ValueError):
    """The file does not follow the schema, or would change a version in use."""


def _fail(where: str, message: str) -> NoReturn:
    raise ModelFileError(f"{where}: {message}")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        _fail(where, "expected a mapping")
    return cast(Mapping[str, Any], value)


def _list(value: Any, where: str) -> Sequence[Any]:
    if not isinstance(value, list):
        _fail(where, "expected a list")
    return cast(Sequence[Any], value)


def _text(item: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        _fail(where, f"'{key}' must be a non-empty text")
    return str(value).strip()


def _both(
    item: Mapping[str, Any], field: str, where: str, *, required: bool = True
) -> dict[str, str]:
    return {
        f"{field}_{lang}": _text(item, f"{field}_{lang}", where, required=required)
        for lang in ("nl", "en")
    }


def _level(value: Any, where: str, *, allowed: Sequence[int] = LEVELS) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        _fail(where, f"level must be one of {', '.join(map(str, allowed))}")
    return int(value)


def _code(item: Mapping[str, Any], where: str) -> str:
    code = item.get("code")
    if not isinstance(code, str) or not code or code != code.lower() or " " in code:
        _fail(where, "'code' must be a lowercase slug")
    return str(code)


def _unique(codes: list[str], where: str) -> None:
    seen = set()
    for code in codes:
        if code in seen:
            _fail(where, f"code '{code}' appears twice")
        seen.add(code)


def validate(data: Any) -> dict[str, Any]:
    """The file's content checked against the schema and normalised; ModelFileError names the
    first place that is wrong."""
    root = _mapping(data, "file")
    version = root.get("version")
    if not isinstance(version, str) or not version.strip():
        _fail("version", 'give the model a version string, e.g. "2026.1"')
    out: dict[str, Any] = {"version": str(version).strip()}
    out |= _both(root, "title", "file") | _both(root, "source", "file")

    levels = _list(root.get("levels"), "levels")
    out["levels"] = []
    for index, raw in enumerate(levels):
        where = f"levels[{index}]"
        item = _mapping(raw, where)
        out["levels"].append(
            {"level": _level(item.get("level"), where)}
            | _both(item, "name", where)
            | _both(item, "description", where)
        )
    if sorted(item["level"] for item in out["levels"]) != list(LEVELS):
        _fail("levels", "give exactly the levels 0, 1, 2 and 3")

    elements = _list(root.get("elements"), "elements")
    out["elements"] = []
    conditions: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate(elements):
        where = f"elements[{index}]"
        item = _mapping(raw, where)
        element: dict[str, Any] = {"code": _code(item, where), **_both(item, "name", where)}
        element["conditions"] = []
        for c_index, c_raw in enumerate(_list(item.get("conditions"), f"{where}.conditions")):
            c_where = f"{where}.conditions[{c_index}]"
            condition = _condition(_mapping(c_raw, c_where), c_where)
            if condition["code"] in conditions:
                _fail(c_where, f"code '{condition['code']}' appears twice")
            conditions[condition["code"]] = condition
            element["conditions"].append(condition)
        out["elements"].append(element)
    if tuple(e["code"] for e in out["elements"]) != ELEMENT_CODES:
        _fail("elements", f"give exactly the elements {', '.join(ELEMENT_CODES)}, in that order")
    if len(conditions) != CONDITION_COUNT:
        _fail("elements", f"give {CONDITION_COUNT} conditions in all, not {len(conditions)}")
    priorities = [c["priority"] for c in conditions.values()]
    if len(set(priorities)) != len(priorities) or min(priorities) < 1:
        _fail("elements", "each condition needs its own priority (1 = put in place first)")

    def known(code: Any, where: str) -> str:
        if code not in conditions:
            _fail(where, f"unknown condition '{code}'")
        return str(code)

    out["basisniveau"] = []
    for index, raw in enumerate(_list(root.get("basisniveau"), "basisniveau")):
        where = f"basisniveau[{index}]"
        item = _mapping(raw, where)
        requires = []
        for r_index, r_raw in enumerate(_list(item.get("requires"), f"{where}.requires")):
            r_where = f"{where}.requires[{r_index}]"
            r_item = _mapping(r_raw, r_where)
            requires.append(
                {
                    "condition": known(r_item.get("condition"), r_where),
                    "level": _level(r_item.get("level"), r_where, allowed=(1, 2, 3)),
                }
            )
        if not requires:
            _fail(where, "a criterion requires at least one condition")
        out["basisniveau"].append(
            {"code": _code(item, where), "requires": requires}
            | _both(item, "name", where)
            | _both(item, "description", where)
        )
    if sorted(c["code"] for c in out["basisniveau"]) != sorted(BASIS_CODES):
        _fail("basisniveau", f"give exactly the criteria {', '.join(BASIS_CODES)}")

    out["vng_themes"] = []
    for index, raw in enumerate(_list(root.get("vng_themes"), "vng_themes")):
        where = f"vng_themes[{index}]"
        item = _mapping(raw, where)
        mapped = [
            known(code, f"{where}.conditions")
            for code in _list(item.get("conditions"), f"{where}.conditions")
        ]
        out["vng_themes"].append(
            {"code": _code(item, where), "conditions": mapped} | _both(item, "name", where)
        )
    if len(out["vng_themes"]) != VNG_THEME_COUNT:
        _fail("vng_themes", f"give the {VNG_THEME_COUNT} themes of VNG's Kader")
    _unique([t["code"] for t in out["vng_themes"]], "vng_themes")

    out["references"] = []
    for index, raw in enumerate(_list(root.get("references", []), "references")):
        where = f"references[{index}]"
        item = _mapping(raw, where)
        levels_of = []
        for l_index, l_raw in enumerate(_list(item.get("levels"), f"{where}.levels")):
            l_where = f"{where}.levels[{l_index}]"
            l_item = _mapping(l_raw, l_where)
            levels_of.append(
                {
                    "condition": known(l_item.get("condition"), l_where),
                    "level": _level(l_item.get("level"), l_where),
                }
                | _both(l_item, "basis", l_where, required=False)
            )
        _unique([str(entry["condition"]) for entry in levels_of], f"{where}.levels")
        out["references"].append(
            {"code": _code(item, where), "levels": levels_of}
            | _both(item, "name", where)
            | _both(item, "derivation", where)
        )
    _unique([r["code"] for r in out["references"]], "references")
    return out


def _condition(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    tier = item.get("tier")
    if tier not in TIERS:
        _fail(where, "'tier' must be structure or process")
    added = item.get("added", False)
    if not isinstance(added, bool):
        _fail(where, "'added' must be true or false")
    priority = item.get("priority")
    if isinstance(priority, bool) or not isinstance(priority, int):
        _fail(where, "'priority' must be a whole number")
    facts = _list(item.get("facts", []), f"{where}.facts")
    for key in facts:
        if key not in FACT_KEYS:
            _fail(f"{where}.facts", f"unknown fact '{key}' (known: {', '.join(FACT_KEYS)})")
    criteria = []
    for index, raw in enumerate(_list(item.get("criteria"), f"{where}.criteria")):
        c_where = f"{where}.criteria[{index}]"
        c_item = _mapping(raw, c_where)
        criteria.append(
            {"level": _level(c_item.get("level"), c_where, allowed=(1, 2, 3))}
            | _both(c_item, "text", c_where)
        )
    if sorted(c["level"] for c in criteria) != [1, 2, 3]:
        _fail(f"{where}.criteria", "give one criterion for each of the levels 1, 2 and 3")
    instruments = []
    for index, raw in enumerate(_list(item.get("instruments", []), f"{where}.instruments")):
        i_where = f"{where}.instruments[{index}]"
        i_item = _mapping(raw, i_where)
        instruments.append({"code": _code(i_item, i_where)} | _both(i_item, "text", i_where))
    practices = []
    for index, raw in enumerate(_list(item.get("best_practices", []), f"{where}.best_practices")):
        p_where = f"{where}.best_practices[{index}]"
        p_item = _mapping(raw, p_where)
        counts = _mapping(p_item.get("counts", {}), f"{p_where}.counts")
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in counts.values()):
            _fail(f"{p_where}.counts", "each count must be a whole number")
        total = p_item.get("total")
        if isinstance(total, bool) or not isinstance(total, int) or total < 0:
            _fail(p_where, "'total' must be a whole number")
        practices.append(
            {"code": _code(p_item, p_where), "counts": dict(counts), "total": total}
            | _both(p_item, "text", p_where)
        )
    return (
        {
            "code": _code(item, where),
            "tier": tier,
            "added": added,
            "priority": priority,
            "facts": list(facts),
            "criteria": criteria,
            "instruments": instruments,
            "best_practices": practices,
        }
        | _both(item, "name", where)
        | _both(item, "description", where)
        | _both(item, "priority_reason", where, required=False)
    )


def read_file(path: str | Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ModelFileError(f"file: not valid YAML ({error})") from None
    return validate(data)


def load_model(source: str | Path | Mapping[str, Any], *, apps: Any = global_apps) -> Any:
    """Load a model file (a path, or its parsed content) as a new version and return its
    ModelVersion. A version not used by any assessment yet is replaced; one that is in use is
    refused. `apps`: the historical registry in a migration."""
    data = read_file(source) if isinstance(source, str | Path) else validate(source)

    def get(name: str) -> Any:
        return apps.get_model("assessment", name)

    version_model, assessment_model = get("ModelVersion"), get("Assessment")
    with transaction.atomic():
        existing = version_model.objects.filter(version=data["version"]).first()
        if existing is not None:
            if assessment_model.objects.filter(model_version=existing).exists():
                raise ModelFileError(
                    f"version: version {data['version']} is used by an assessment and cannot "
                    "change; give the model a new version number"
                )
            existing.delete()
        return _write(data, get)


def load_shipped_models() -> list[str]:
    """Load every model file shipped in data/ whose version is not in the database (the
    migrations load them on an install; a database emptied since, as by a test's flush, gets
    them back here). Returns the versions loaded; a version present is left as it is."""
    present = set(
        global_apps.get_model("assessment", "ModelVersion").objects.values_list(
            "version", flat=True
        )
    )
    loaded = []
    for path in sorted(DATA_DIR.glob("model-*.yaml")):
        data = read_file(path)
        if data["version"] not in present:
            load_model(data)
            loaded.append(data["version"])
    return loaded


def _write(data: dict[str, Any], get: Any) -> Any:
    version = get("ModelVersion").objects.create(
        version=data["version"],
        loaded_at=timezone.now(),
        **{k: data[k] for k in ("title_nl", "title_en", "source_nl", "source_en")},
    )
    for item in data["levels"]:
        get("MaturityLevel").objects.create(model_version=version, **item)
    conditions: dict[str, Any] = {}
    for e_position, element_data in enumerate(data["elements"]):
        element = get("Element").objects.create(
            model_version=version,
            position=e_position,
            code=element_data["code"],
            name_nl=element_data["name_nl"],
            name_en=element_data["name_en"],
        )
        for position, c in enumerate(element_data["conditions"]):
            fields = {
                k: v for k, v in c.items() if k not in ("criteria", "instruments", "best_practices")
            }
            condition = get("Condition").objects.create(
                model_version=version, element=element, position=position, **fields
            )
            conditions[c["code"]] = condition
            for criterion in c["criteria"]:
                get("LevelCriterion").objects.create(condition=condition, **criterion)
            for i_position, instrument in enumerate(c["instruments"]):
                get("Instrument").objects.create(
                    condition=condition, position=i_position, **instrument
                )
            for p_position, practice in enumerate(c["best_practices"]):
                get("BestPractice").objects.create(
                    condition=condition, position=p_position, **practice
                )
    for position, b in enumerate(data["basisniveau"]):
        criterion = get("BasisCriterion").objects.create(
            model_version=version,
            position=position,
            **{k: v for k, v in b.items() if k != "requires"},
        )
        for requirement in b["requires"]:
            get("BasisRequirement").objects.create(
                criterion=criterion,
                condition=conditions[requirement["condition"]],
                level=requirement["level"],
            )
    for position, t in enumerate(data["vng_themes"]):
        theme = get("VngTheme").objects.create(
            model_version=version,
            position=position,
            **{k: v for k, v in t.items() if k != "conditions"},
        )
        theme.conditions.set([conditions[code] for code in t["conditions"]])
    for position, r in enumerate(data["references"]):
        profile = get("ReferenceProfile").objects.create(
            model_version=version,
            position=position,
            **{k: v for k, v in r.items() if k != "levels"},
        )
        for entry in r["levels"]:
            get("ReferenceLevel").objects.create(
                profile=profile,
                condition=conditions[entry["condition"]],
                level=entry["level"],
                basis_nl=entry["basis_nl"],
                basis_en=entry["basis_en"],
            )
    return version
