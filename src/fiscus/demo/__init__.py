"""`fiscus demo`: a tenant with two years of realistic household and sole-trader books."""
