"""Helpers for the voice loop's tests: real speech from espeak-ng, real Vosk models."""
