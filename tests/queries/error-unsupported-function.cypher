// Functions outside the subset are refused.
RETURN sqrt(4)
