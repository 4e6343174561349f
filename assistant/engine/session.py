"""The one place that creates onnxruntime sessions, and feeds them by the graph's input names."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

# onnxruntime writes a device id and telemetry state under ~/.cache/Microsoft and $TMPDIR as
# soon as it is imported unless this is set first; the app keeps to its own folders, offline,
# whatever the environment says (packaging/rthooks/no_telemetry.py does the same when frozen).
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

import onnxruntime as ort

log = logging.getLogger(__name__)

PROVIDER = "CPUExecutionProvider"
MAX_DEFAULT_THREADS = 4


def default_threads() -> int:
    """CPUs this process may use, capped at 4: small encoders gain little beyond that."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_DEFAULT_THREADS))


class OnnxModel:
    """An onnxruntime session on the CPU provider with full graph optimisation."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        if PROVIDER not in ort.get_available_providers():
            raise RuntimeError(f"onnxruntime on this machine lacks the {PROVIDER}")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        # Idle pool threads would spin and steal the cores from the next session's run (the app
        # alternates between two sessions on a 2-core laptop); sleeping threads cost ~nothing.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), sess_options=options, providers=[PROVIDER])
        self.input_names = tuple(i.name for i in self.session.get_inputs())
        self.output_shapes = {o.name: tuple(o.shape) for o in self.session.get_outputs()}
        self.output_names = tuple(self.output_shapes)
        log.debug("loaded %s with providers %s", path, self.session.get_providers())

    def run(self, arrays: dict[str, np.ndarray], outputs: tuple[str, ...]) -> list[np.ndarray]:
        """Run the graph, feeding only the inputs it declares (a graph may lack token_type_ids)."""
        feed = {name: arrays[name] for name in self.input_names}
        return self.session.run(list(outputs), feed)
