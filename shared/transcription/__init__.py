"""Transcription engines behind one port."""
