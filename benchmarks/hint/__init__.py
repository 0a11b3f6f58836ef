"""HINT-style handwritten arithmetic: symbol images, expressions with HINT semantics, label files, the suite."""
