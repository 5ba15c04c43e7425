"""DIETClassifier / ResponseSelector `process` over several messages with one network call.

Rasa 3.6 components take a list of messages, but DIET and the ResponseSelector predict them one
by one: `_predict(message)` builds a batch of one and calls the TensorFlow function. The call's
fixed cost (building the model data, TensorFlow's dispatch, converting the outputs) is most of a
prediction. The live channels parse one message at a time and are not affected: with one message
`process` is Rasa's own. When a caller parses many messages at once (the transcript batch,
bot.transcripts.assistant.HotlineAssistant.parse_ahead), `process` first predicts all
of them in one call (`run_inference` with the batch size set to the number of messages) and
Rasa's own `process` then takes each message's row instead of predicting it again. Padding is masked inside the
model, so each row is the message's own prediction, equal up to float32 rounding (the batch sums
in another order: confidences differ in the 7th digit); tests/transcripts/test_transcripts.py checks
that every parse equals the one-at-a-time parse that way, and that calls run the same.

Not batched (Rasa's path): a single message, a model with diagnostic data switched on (its
per-token arrays are padded to the longest message), and a message set with no features.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

import numpy as np
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.training_data.message import Message

_PREFETCHED = "_yibao_prefetched"      # instance attribute, only while `process` runs
_ORIGINAL_PREDICT = DIETClassifier._predict
_ORIGINAL_PROCESS: Dict[type, Callable] = {
    DIETClassifier: DIETClassifier.process,
    ResponseSelector: ResponseSelector.process,
}
Output = Dict[str, Any]


def _rows(outputs: Output, count: int) -> List[Output]:
    """One output per message: every array's row i, kept two-dimensional as Rasa's batch of one."""
    return [{key: value[i:i + 1] if isinstance(value, np.ndarray) and value.shape[:1] == (count,)
             else value for key, value in outputs.items()} for i in range(count)]


def predict_all(component: DIETClassifier, messages: List[Message]) -> Optional[List[Output]]:
    """Each message's prediction from one inference call, or None where Rasa's path must run."""
    if component.model is None or len(messages) < 2 or \
            component._execution_context.should_add_diagnostic_data:
        return None
    model_data = component._create_model_data(messages, training=False)
    if model_data.is_empty() or model_data.number_of_examples() != len(messages):
        return None
    outputs = component.model.run_inference(model_data, batch_size=len(messages))
    return _rows(outputs, len(messages))


def _predict(self: DIETClassifier, message: Message) -> Any:
    prefetched = self.__dict__.get(_PREFETCHED)
    if prefetched is not None and id(message) in prefetched:
        return prefetched[id(message)]
    return _ORIGINAL_PREDICT(self, message)


def _batched(process: Callable) -> Callable:
    # `self` stays unannotated: Rasa's graph validation reads the annotations of `process` and
    # would ask the graph to provide an annotated `self`.
    def batched_process(self, messages: List[Message]) -> List[Message]:
        rows = predict_all(self, messages)
        if rows is None:
            return process(self, messages)
        self.__dict__[_PREFETCHED] = {id(m): row for m, row in zip(messages, rows)}
        try:
            return process(self, messages)
        finally:
            del self.__dict__[_PREFETCHED]

    batched_process.__wrapped__ = process          # type: ignore[attr-defined]
    batched_process.__doc__ = process.__doc__
    return batched_process


def install() -> None:
    DIETClassifier._predict = _predict
    for cls, process in _ORIGINAL_PROCESS.items():
        cls.process = _batched(process)


def original_process(cls: type) -> Callable:
    return _ORIGINAL_PROCESS[cls]
