"""The reconstruction generator: seeded, documented county submissions that stand in for the
real files, which are not public. Not part of the product's data path."""
