// A wrong argument type is an error, not a silent null.
MATCH (n:people {id: 'ada'})
RETURN length(n.name)
