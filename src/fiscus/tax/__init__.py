"""Australian individual income tax: rules per income year, calculators, returns."""
