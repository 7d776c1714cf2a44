"""Who is cut off by a down parent, and who waits on a parent still being checked (redundancy groups included)."""

from __future__ import annotations

from dutyroom.rules.dependencies import NOTHING_DOWN, DependencyGraph

# ups-a feeds both switches; the gateway sits behind either switch (a redundancy group) and the firewall.
ROOM = DependencyGraph(
    {
        "ups-a": (),
        "sw-1": (("ups-a",),),
        "sw-2": (("ups-a",),),
        "fw": (),
        "gw": (("sw-1", "sw-2"), ("fw",)),
        "app": (("gw",),),
    }
)


def test_nothing_down_cuts_nobody_off() -> None:
    assert ROOM.view(set(), set()) is NOTHING_DOWN


def test_one_switch_of_a_redundant_pair_explains_nothing() -> None:
    view = ROOM.view({"sw-1"}, set())
    assert dict(view.suppressed_by) == {}


def test_both_switches_down_cut_off_the_gateway_and_what_is_behind_it() -> None:
    view = ROOM.view({"sw-1", "sw-2", "gw"}, set())
    assert dict(view.suppressed_by) == {"gw": "sw-1+sw-2", "app": "sw-1+sw-2"}


def test_the_furthest_up_cause_is_named() -> None:
    view = ROOM.view({"ups-a", "sw-1", "sw-2"}, set())
    assert dict(view.suppressed_by) == {"sw-1": "ups-a", "sw-2": "ups-a", "gw": "ups-a", "app": "ups-a"}


def test_a_plain_parent_alone_is_enough() -> None:
    view = ROOM.view({"fw"}, set())
    assert dict(view.suppressed_by) == {"gw": "fw", "app": "fw"}


def test_a_parent_being_checked_holds_the_children_it_could_explain() -> None:
    view = ROOM.view({"sw-1"}, {"sw-2"})
    assert dict(view.suppressed_by) == {}
    assert dict(view.checking_parent) == {"gw": "sw-2", "app": "sw-2"}


def test_a_parent_being_checked_holds_nobody_it_could_not_explain() -> None:
    view = ROOM.view(set(), {"sw-2"})
    assert dict(view.checking_parent) == {}


def test_a_child_already_explained_does_not_wait() -> None:
    view = ROOM.view({"fw"}, {"sw-1"})
    assert dict(view.suppressed_by) == {"gw": "fw", "app": "fw"}
    assert dict(view.checking_parent) == {}


def test_a_chain_thousands_deep_needs_no_recursion() -> None:
    depth = 5000
    chain = DependencyGraph({f"t{index}": ((f"t{index - 1}",),) if index else () for index in range(depth)})
    view = chain.view({"t0"}, set())
    assert len(view.suppressed_by) == depth - 1
    assert view.suppressed_by[f"t{depth - 1}"] == "t0"


def test_targets_in_a_cycle_are_left_out_rather_than_looping() -> None:
    looped = DependencyGraph({"a": (("b",),), "b": (("a",),), "c": (("d",),), "d": ()})
    assert dict(looped.view({"a", "b", "d"}, set()).suppressed_by) == {"c": "d"}
