"""The linked-data read model: what the page of one entity shows (:mod:`.entity`)."""
