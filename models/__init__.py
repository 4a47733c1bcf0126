"""Training and evaluation of starlint's detectors; artifacts live in models/artifacts/."""
