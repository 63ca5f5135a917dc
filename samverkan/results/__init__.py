"""Results: the measures and indicators over the cleaned data, Tables 1–6 and the book's other
tables, charts, and the county profiles."""
