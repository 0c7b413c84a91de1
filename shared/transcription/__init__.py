"""Transcription engines behind one port (``port``, chosen by ``factory``):
``offline/`` and ``openai/``, each in its own room; docs/architecture.md,
"Recognition rooms", has the plan."""
