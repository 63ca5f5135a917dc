"""Book: the chapter list (from ``_quarto.yml``) and the embedded pandoc + typst renderer."""
