"""Bring stage results back from a lent GPU machine, within its transfer limits.

Only a few files of at most 16 MiB each come back from that machine. `pack` writes a stage's
model.pt in fp16, leaves out the tensors that still equal MiniLM's (a frozen word table) and zeroes
a student's off-diagonal blocks (never used at alpha 0), then compresses it and cuts it into
parts; `unpack` rebuilds RUNS_DIR/<stage>/model.pt here from the parts and the local MiniLM.

    python -m training.device_transfer pack qa-dense qa --to "$OUT"   # on the GPU machine
    python -m training.device_transfer unpack DIR                       # here
"""

from __future__ import annotations

import argparse
import gzip
import io
import shutil
from pathlib import Path

import torch

from training.common import RUNS_DIR, load_checkpoint, save_checkpoint
from training.model import Encoder, EncoderConfig, GroupedLinear
from training.teacher import load_teacher_state

PART_BYTES = 15 * 2**20
SUFFIX = ".pt.gz."


def _minilm() -> dict[str, torch.Tensor]:
    return {f"encoder.{k}": v.float() for k, v in load_teacher_state().items()}


def _student_masks() -> dict[str, torch.Tensor]:
    """Key -> block mask of every grouped projection in a QA or classifier state dict."""
    encoder = Encoder(EncoderConfig())
    return {
        f"encoder.{name}.weight": module.mask
        for name, module in encoder.named_modules()
        if isinstance(module, GroupedLinear) and module.groups > 1
    }


def pack(stage: str, out_dir: Path) -> list[Path]:
    """Write RUNS_DIR/<stage>/model.pt as compressed fp16 parts, and the stage log, to out_dir."""
    result = load_checkpoint(RUNS_DIR / stage / "model.pt")
    if result is None:
        raise SystemExit(f"{stage} has no result to pack")
    base, model = _minilm(), dict(result["model"])
    if not stage.endswith("-dense"):  # a student: only the diagonal blocks are ever used
        for key, mask in _student_masks().items():
            model[key] = model[key] * mask
    from_minilm = [k for k, v in model.items() if k in base and torch.equal(v.float(), base[k])]
    result = result | {
        "model": {k: v.half() for k, v in model.items() if k not in from_minilm},
        "from_minilm": from_minilm,
    }
    buffer = io.BytesIO()
    torch.save(result, buffer)
    packed = gzip.compress(buffer.getvalue(), compresslevel=6)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = []
    for index in range(0, len(packed), PART_BYTES):
        parts.append(out_dir / f"{stage}{SUFFIX}{index // PART_BYTES:02d}")
        parts[-1].write_bytes(packed[index : index + PART_BYTES])
    shutil.copy(RUNS_DIR / stage / "train.log", out_dir / f"{stage}.log")
    return parts


def unpack(in_dir: Path) -> list[str]:
    """Rebuild RUNS_DIR/<stage>/model.pt (fp32) for each packed stage in in_dir."""
    stages = sorted({p.name.split(SUFFIX)[0] for p in in_dir.glob(f"*{SUFFIX}*")})
    base = _minilm()
    for stage in stages:
        target = RUNS_DIR / stage / "model.pt"
        if target.exists():
            raise SystemExit(f"{target} exists: move it aside first")
        parts = sorted(in_dir.glob(f"{stage}{SUFFIX}*"))
        raw = gzip.decompress(b"".join(p.read_bytes() for p in parts))
        result = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=False)
        model = {k: v.float() for k, v in result.pop("model").items()}
        model |= {k: base[k].half().float() for k in result.pop("from_minilm")}  # as sent
        save_checkpoint(target, result | {"model": model})
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m training.device_transfer")
    verbs = parser.add_subparsers(dest="verb", required=True)
    packing = verbs.add_parser("pack")
    packing.add_argument("stages", nargs="+")
    packing.add_argument("--to", type=Path, required=True)
    verbs.add_parser("unpack").add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.verb == "pack":
        for stage in args.stages:
            print(stage, [p.name for p in pack(stage, args.to)])
    else:
        print("unpacked", unpack(args.folder))


if __name__ == "__main__":
    main()
