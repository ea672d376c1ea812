"""The signal's status table: every allowed and every forbidden move."""

import itertools

import pytest

from schakel.intake.choices import SignalStatus
from schakel.intake.workflow import INITIAL, TRANSITIONS, can_transition

PAIRS = list(itertools.product(SignalStatus, SignalStatus))


def test_every_status_has_a_row():
    assert set(TRANSITIONS) == set(SignalStatus)


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_transition_table(source, target):
    assert can_transition(source, target) == (target in TRANSITIONS[source])


def test_a_signal_starts_new_and_a_closed_signal_stays_closed():
    assert INITIAL == SignalStatus.NEW
    assert TRANSITIONS[SignalStatus.CLOSED] == frozenset()


def test_no_status_moves_to_itself_or_back_to_new():
    for source, targets in TRANSITIONS.items():
        assert source not in targets
        assert SignalStatus.NEW not in targets


def test_every_status_is_reachable_from_new():
    seen, frontier = {INITIAL}, [INITIAL]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(SignalStatus)
