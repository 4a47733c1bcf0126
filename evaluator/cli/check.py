"""Sub-command module (registered in evaluator.cli)."""
