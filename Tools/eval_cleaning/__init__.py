"""eval_cleaning: scores newsidx's article cleaning against gold extraction data, with peers."""
