"""Data exports without Qt: plain STPA tables and the formats written from them."""
