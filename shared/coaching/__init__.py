"""Coaching-note writers: adapters that reword a rule-built note."""
