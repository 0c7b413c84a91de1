"""Pure domain code: plain data in, plain data out. No framework imports."""
