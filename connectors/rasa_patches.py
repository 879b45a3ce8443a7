"""Our changes to Rasa's own server, in one place, applied once at start (`python -m connectors`).

The first, second, fourth and fifth were found by profiling (py-spy) the bench under load; all
are written against the source of one Rasa release: `apply()` refuses any other version, so an upgrade means reading
the new source again, not finding out in production.

1. Action-result validation compiled once. Rasa validates every action server response with
   `jsonschema.validate(result, schema)`, which re-checks the schema itself against the JSON
   Schema meta-schema on every call. With jsonschema 4.17 that was 80% of the Rasa server's
   main-thread CPU during the throughput bench. One validator is built once instead; the check
   and its error message are unchanged.

2. Model inference off the event loop, so a webhook is acknowledged while the bot thinks.
   Rasa 3.6 runs the NLU graph (`_parse_message_with_graph`) and the policy graph
   (`predict_next_with_tracker_if_should`) synchronously inside its async message handling. Each
   run holds the Sanic event loop for tens of milliseconds, and every webhook acknowledgement that
   arrives meanwhile waits behind it: that wait was the tail of our ack latency.
   `OffloadingProcessor` is Rasa's `MessageProcessor` with those two calls moved to a small thread
   pool. TensorFlow and scikit-learn release the GIL while they compute, so the loop keeps
   accepting requests. Nothing else changes: per-conversation order is still guaranteed by Rasa's
   lock store, which `handle_message` holds around the whole turn. The agent builds its processor
   from the name `rasa.core.agent.MessageProcessor` on every model load, so that name is replaced.

3. Buyer text is text. Rasa reads a message starting with `/` as an intent with entities
   (`/restart`, `/system_handoff{...}`), whoever typed it. `parse_message` gives the model the
   text without its leading slashes unless the message is a `connectors.trigger.ChannelTrigger`,
   which only our channel code creates; the tracker still records the text as typed, so agents
   see it. This is a security property, so it does not depend on a channel remembering it.

4. Event types looked up once. Loading a conversation turns every stored event back into an
   object, and Rasa's `Event.resolve_by_type` finds each event's class by walking every subclass
   of `Event` (with `inspect.isabstract` on each) for every event: two thirds of the time spent
   loading a tracker, on the event loop, in the profile of the bench's processing burst. The
   classes found are now remembered by type name; a name not seen before still takes Rasa's path.

5. The loaded server kept out of the garbage collector's full passes. After the model loads
   the process holds about half a million long-lived objects (TensorFlow's and Rasa's modules,
   the domain, the model); every full collection walked all of them and stopped the event loop
   for tens of milliseconds, one of the spikes in the acknowledgements while the bot answered a
   burst. `gc.freeze()` right after the model loads moves them to the permanent generation;
   objects made later are collected as before.

Every channel is served by the patched server, the REST channel too: the patches belong to the
process, not to a channel (tests/live/test_rasa_patches.py).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import rasa
import rasa.core.agent
import rasa.core.run
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.processor import ActionLimitReached, MessageProcessor
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from connectors.trigger import as_read

logger = logging.getLogger(__name__)
RASA_VERSION = "3.6.21"  # the release whose source these patches copy and were measured on
# Two cores: more threads would only fight over them. One for NLU, one for policies.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="inference")
_ORIGINAL_VALIDATION = RemoteAction._validate_action_result
_ORIGINAL_RESOLVE = Event.resolve_by_type
_ORIGINAL_LOAD_AGENT = rasa.core.run.load_agent_on_start


async def _load_agent_then_freeze(*args: Any, **kwargs: Any) -> Any:
    """Rasa's own model loading at server start, then the long-lived heap frozen (patch 5)."""
    agent = await _ORIGINAL_LOAD_AGENT(*args, **kwargs)
    gc.collect()
    gc.freeze()
    logger.info("%d objects of the loaded server frozen out of the garbage collector", gc.get_freeze_count())
    return agent


_EVENT_TYPES: dict[str, type[Event]] = {}


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type`, with the classes it found remembered (patch 4)."""
    known = _EVENT_TYPES.get(type_name)
    if known is not None:
        return known
    found = _ORIGINAL_RESOLVE(type_name, default)
    if found is not None and found is not default:
        _EVENT_TYPES[type_name] = found
    return found


_announced = False


def _announce() -> None:
    """Once per process, so an operator (and tests/live/test_rasa_patches.py) can see it works."""
    global _announced
    if not _announced:
        _announced = True
        logger.info("model inference runs in the %r thread pool, off the event loop", _POOL._thread_name_prefix)


class OffloadingProcessor(MessageProcessor):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Logged when the model loads (Rasa's logging is set up by then), on every model load.
        logger.info("Rasa %s patches active: inference off the event loop, action results validated by a "
                    "compiled schema, buyer text never read as a command (%s)", rasa.__version__,
                    "on" if applied() else "OFF")

    async def parse_message(self, message: UserMessage, tracker: DialogueStateTracker | None = None,
                            only_output_properties: bool = True) -> dict[str, Any]:
        read = as_read(message)
        if self.http_interpreter:
            parse_data = await super().parse_message(read, tracker, only_output_properties)
            parse_data["text"] = message.text
            return parse_data
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        _announce()
        loop = asyncio.get_running_loop()
        parse_data = await loop.run_in_executor(
            _POOL, self._parse_message_with_graph, read, tracker, only_output_properties)
        parse_data["text"] = message.text
        self._update_full_retrieval_intent(parse_data)
        self._check_for_unseen_features(parse_data)
        return parse_data

    async def _run_prediction_loop(self, output_channel: OutputChannel, tracker: DialogueStateTracker) -> None:
        """Rasa's loop (processor.py, 3.6.21) with the policy prediction awaited in the pool."""
        loop = asyncio.get_running_loop()
        should_predict_another_action = True
        while should_predict_another_action and self._should_handle_message(tracker):
            try:
                action, prediction = await loop.run_in_executor(
                    _POOL, self.predict_next_with_tracker_if_should, tracker)
            except ActionLimitReached:
                logger.warning("Circuit breaker tripped. Stopped predicting more actions for sender '%s'.",
                               tracker.sender_id)
                if self.on_circuit_break:
                    self.on_circuit_break(tracker, output_channel, self.nlg)
                break
            if prediction.is_end_to_end_prediction:
                tracker = await self.run_action_extract_slots(output_channel, tracker)
            should_predict_another_action = await self._run_action(
                action, tracker, output_channel, self.nlg, prediction)


_action_validator: Any = None


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result (rasa 3.6.21) with a validator built once."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.shared.constants import DOCS_BASE_URL

    global _action_validator
    if _action_validator is None:
        schema = self.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        _action_validator = cls(schema)
    try:
        _action_validator.validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise


def apply(version: str | None = None) -> None:
    """Install the patches (idempotent); refuse a Rasa release they were not written for."""
    running = version or rasa.__version__
    if running != RASA_VERSION:
        raise RuntimeError(
            f"connectors/rasa_patches.py was written for Rasa {RASA_VERSION}, this is Rasa {running}: compare "
            "MessageProcessor.parse_message/_run_prediction_loop and RemoteAction._validate_action_result with "
            "the new release's source, then update RASA_VERSION")
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    rasa.core.agent.MessageProcessor = OffloadingProcessor  # type: ignore[attr-defined,misc]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[assignment]
    rasa.core.run.load_agent_on_start = _load_agent_then_freeze  # type: ignore[assignment]


def applied() -> bool:
    return (RemoteAction._validate_action_result is _validate_action_result
            and rasa.core.agent.MessageProcessor is OffloadingProcessor  # type: ignore[attr-defined]
            and Event.resolve_by_type is _resolve_by_type
            and rasa.core.run.load_agent_on_start is _load_agent_then_freeze)


def remove() -> None:
    """Rasa as shipped (tests compare the two)."""
    RemoteAction._validate_action_result = _ORIGINAL_VALIDATION  # type: ignore[method-assign]
    rasa.core.agent.MessageProcessor = MessageProcessor  # type: ignore[attr-defined,misc]
    Event.resolve_by_type = staticmethod(_ORIGINAL_RESOLVE)  # type: ignore[assignment]
    rasa.core.run.load_agent_on_start = _ORIGINAL_LOAD_AGENT  # type: ignore[assignment]
