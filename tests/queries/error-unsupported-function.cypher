// Functions outside the subset are refused.
RETURN reverse('abc')
