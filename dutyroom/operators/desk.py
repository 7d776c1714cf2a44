"""The one door for what a person does, from the console or the command line: plan it, then submit it.

`StoreDesk` follows the store's action log to keep its run book current (another console may have ticked a step
a moment ago), plans the request against it (`dutyroom.operators.planning`) and records it through
`dutyroom.operators.actions.submit` (role check, required comment, durable commit). The console is handed a
desk beside its source, so the source only reads.
"""

from __future__ import annotations

from typing import Protocol

from dutyroom.config.load import LoadedConfig
from dutyroom.model import Identity
from dutyroom.operators.actions import submit
from dutyroom.operators.planning import Intent, needs_runs, plan_request
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import RunBook
from dutyroom.store.database import Store
from dutyroom.store.records import StoredAction


class ActionDesk(Protocol):
    """Where a person's actions are recorded."""

    def submit(self, intent: Intent, alert: str, now: float) -> StoredAction:
        """Record `intent` on `alert` durably; raises dutyroom.operators.actions.ActionRefused with a reason."""
        ...


class StoreDesk:
    """An ActionDesk over a store, for one person (`identity`)."""

    def __init__(
        self,
        store: Store,
        config: LoadedConfig,
        identity: Identity,
        playbooks: PlaybookLibrary | None = None,
        *,
        language: str = "",
    ) -> None:
        self.store = store
        self.config = config
        self.identity = identity
        self._playbooks = playbooks if playbooks is not None else PlaybookLibrary()
        self._language = language or config.parsed.site.language
        self._runs = RunBook()
        self._cursor = 0

    def submit(self, intent: Intent, alert: str, now: float) -> StoredAction:
        if needs_runs(intent):
            self._catch_up()
        request = plan_request(intent, alert, self._runs, self.identity, now, self._playbook)
        return submit(self.store, self.config, self.identity, request, now)

    def _playbook(self, playbook_id: str) -> Playbook | None:
        return self._playbooks.get(playbook_id, self._language)

    def _catch_up(self) -> None:
        """Fold actions recorded since the last look (by anyone) into the run book."""
        while batch := self.store.actions_after(self._cursor):
            self._runs = self._runs.after(batch)
            self._cursor = batch[-1].id
