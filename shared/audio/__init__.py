"""Audio intake: format sniffing, decoding to 16 kHz mono, analysis."""
