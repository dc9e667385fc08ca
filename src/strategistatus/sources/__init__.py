"""Import of the source systems '  exports: readers, dataset contracts, the importer."""
