"""Gömrük — the electronic customs declaration service of Azerbaijan's customs."""

__version__ = "0.1.0"
