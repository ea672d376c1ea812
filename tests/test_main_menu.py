"""The main menu is grouped by task, shows each role only what it may open, and the header
marks the group of the page one is on."""

import pytest
from django.urls import reverse

from schakel.core.navigation import MenuGroup, menu_for, menu_sections
from schakel.core.policies import actor_for
from schakel.organisations.choices import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def sections_of(role: Role, view_name: str | None = None):
    return menu_sections(actor_for(user_with_role(role)), view_name)


def test_the_groups_come_in_task_order_and_hold_only_entries_of_their_task():
    sections = sections_of(Role.AF_OOV)
    groups = [s.group for s in sections]
    assert groups == sorted(groups, key=list(MenuGroup).index)
    assert groups[:4] == [
        MenuGroup.SIGNALS,
        MenuGroup.MEETINGS,
        MenuGroup.CASES,
        MenuGroup.MATCHING,
    ]
    by_group = {s.group: [i.url_name for i in s.items] for s in sections}
    assert "intake:queue" in by_group[MenuGroup.SIGNALS]
    assert "cases:list" in by_group[MenuGroup.CASES]
    assert "matching:lookup" in by_group[MenuGroup.MATCHING]


@pytest.mark.parametrize("role", list(Role))
def test_every_entry_of_a_role_is_in_exactly_one_group_and_no_group_is_empty(role):
    actor = actor_for(user_with_role(role))
    sections = menu_sections(actor, None)
    grouped = [item.url_name for s in sections for item in s.items]
    assert sorted(grouped) == sorted(i.url_name for i in menu_for(actor))
    assert all(s.items for s in sections)


def test_a_reporter_sees_no_case_meeting_or_administration_group():
    groups = {s.group for s in sections_of(Role.PARTNER_REPORTER)}
    assert MenuGroup.SIGNALS in groups
    assert not groups & {MenuGroup.CASES, MenuGroup.MEETINGS, MenuGroup.ADMINISTRATION}


def test_the_current_group_is_the_one_holding_the_view_or_another_view_of_its_app():
    on_queue = [s.group for s in sections_of(Role.AF_OOV, "intake:queue") if s.current]
    on_a_signal = [s.group for s in sections_of(Role.AF_OOV, "intake:detail") if s.current]
    nowhere = [s.group for s in sections_of(Role.AF_OOV, "home") if s.current]
    assert on_queue == [MenuGroup.SIGNALS]
    assert on_a_signal == [MenuGroup.SIGNALS]
    assert nowhere == []


def test_the_header_shows_the_groups_and_the_current_groups_entries(client):
    client.force_login(user_with_role(Role.AF_OOV))
    html = client.get(reverse("intake:queue")).content.decode()
    assert 'data-testid="main-menu"' in html
    assert 'aria-controls="main-menu"' in html and 'aria-expanded="false"' in html
    sub_menu = html.split('data-testid="sub-menu"', 1)[1].split("</nav>", 1)[0]
    assert reverse("intake:report") in sub_menu
    assert reverse("cases:list") not in sub_menu
