"""The base of our components that have nothing to configure, train or store."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData


class StatelessComponent(GraphComponent):
    """Rasa's component plumbing once; a subclass only writes ``process``."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        return cls()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
