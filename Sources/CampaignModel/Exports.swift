// A scenario is made of the platform's rules (limits, windows, retry policy, contact models),
// so whoever reads scenarios sees those types through this module.
@_exported import Platform
