"""An action endpoint that runs the custom actions inside this process.

`InProcessActionEndpoint(executor)` replaces `EndpointConfig.request` of Rasa 3.6.21: the action
call Rasa's RemoteAction builds is handed to rasa_sdk's own ActionExecutor (`executor()` loads the
`actions` package) and its response read back as the HTTP path would deliver it; only the HTTP
round trip (and the JSON encoding of the whole tracker for it) is gone. A form rejecting its slot
raises the same ActionExecutionRejection an HTTP 400 gives. The hotline batch uses it
(bot/transcripts/action_modes.py).
"""
from __future__ import annotations

import json
from typing import Any, Dict, Optional, Text

from rasa.core.actions.action import ActionExecutionRejection
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection
from rasa_sdk.interfaces import ActionNotFoundException

ACTIONS_PACKAGE = "actions"


class InProcessActionEndpoint(EndpointConfig):
    """An action endpoint whose `request` runs the action with rasa_sdk in this process."""

    def __init__(self, executor: ActionExecutor) -> None:
        super().__init__(url="inprocess://actions")
        self.executor = executor

    async def request(self, method: Text = "post", subpath: Optional[Text] = None,
                      content_type: Optional[Text] = "application/json", compress: bool = False,
                      **kwargs: Any) -> Optional[Dict[Text, Any]]:
        try:
            result = await self.executor.run(kwargs.get("json") or {})
        except SdkRejection as exc:          # the action server answers 400: the form rejects
            raise ActionExecutionRejection(exc.action_name, exc.message) from exc
        except ActionNotFoundException as exc:
            raise RasaException(f"Failed to execute custom action '{exc.action_name}'") from exc
        # What the HTTP path would deliver: plain JSON (tuples → lists, no Python-only types).
        return None if result is None else json.loads(json.dumps(result))


def executor() -> ActionExecutor:
    """rasa_sdk's executor with the project's custom actions registered."""
    found = ActionExecutor()
    found.register_package(ACTIONS_PACKAGE)
    return found
