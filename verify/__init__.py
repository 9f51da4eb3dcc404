"""verify: checks every step of step-by-step math derivations."""

__version__ = "0.1.0"
