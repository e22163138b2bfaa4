# The safe default is overridden for this environment.
direct_internet_access = "Enabled"
