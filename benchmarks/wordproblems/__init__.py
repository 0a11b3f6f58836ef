"""Word-problems suite (GSM-style arithmetic and linear unknowns -> SymPy assignments and equations)."""
