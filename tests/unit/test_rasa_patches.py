"""The Rasa patches (connectors/rasa_patches.py) without a server: they install, they refuse a
Rasa release they were not written for, and action-result validation says what Rasa says.

tests/live/test_rasa_patches.py proves them active in a REST-only server and checks that each
conversation's turns still happen one at a time, in order.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rasa.core.agent
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor

from connectors import rasa_patches


@pytest.fixture
def patched() -> Iterator[None]:
    rasa_patches.apply()
    yield
    rasa_patches.remove()


def test_apply_installs_them_all_and_remove_restores_rasa() -> None:
    rasa_patches.remove()
    assert not rasa_patches.applied()
    assert rasa.core.agent.MessageProcessor is MessageProcessor
    rasa_patches.apply()
    rasa_patches.apply()  # idempotent
    assert rasa_patches.applied()
    assert issubclass(rasa.core.agent.MessageProcessor, MessageProcessor)
    rasa_patches.remove()
    assert not rasa_patches.applied()


def test_another_rasa_release_is_refused() -> None:
    with pytest.raises(RuntimeError, match="written for Rasa 3.6.21, this is Rasa 3.7.0"):
        rasa_patches.apply(version="3.7.0")
    assert not rasa_patches.applied()


def test_the_patched_server_is_the_installed_release() -> None:
    assert rasa.__version__ == rasa_patches.RASA_VERSION


BAD_RESPONSES = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "user", "text": 5}]},
    {"events": [{"name": "language"}]},
]


@pytest.mark.parametrize("result", BAD_RESPONSES)
def test_validation_errors_are_rasas_own(result: dict) -> None:
    action = RemoteAction("action_x", None)
    rasa_patches.remove()
    with pytest.raises(ValidationError) as original:
        action._validate_action_result(result)
    rasa_patches.apply()
    try:
        with pytest.raises(ValidationError) as ours:
            action._validate_action_result(result)
    finally:
        rasa_patches.remove()
    assert ours.value.message == original.value.message
    assert list(ours.value.path) == list(original.value.path)


def test_a_valid_result_passes_both(patched: None) -> None:
    good = {"events": [{"event": "slot", "name": "language", "value": "es"}], "responses": [{"text": "hola"}]}
    assert RemoteAction("action_x", None)._validate_action_result(good) is True


def test_remembered_event_types_are_rasas_own(patched: None) -> None:
    """Patch 4: Rasa's class for every event type, an unknown name still refused, the default kept."""
    from rasa.shared.core.events import Event, UserUttered
    from rasa.shared.utils.common import all_subclasses

    for cls in all_subclasses(Event):  # several classes share a name ("user"): Rasa's pick is kept
        assert Event.resolve_by_type(cls.type_name) is rasa_patches._ORIGINAL_RESOLVE(cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is rasa_patches._ORIGINAL_RESOLVE(cls.type_name)  # remembered
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
