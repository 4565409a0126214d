/// What `campaign-sim --version` prints; the only place the version is written down.
///
/// No git commit beside it: SwiftPM has no build setting that carries a value into the code, so
/// the commit would take a build-tool plugin running git before every build, and a source
/// archive without .git would still need a fallback. Not worth it for one line of output.
let campaignSimVersion = "0.1.0"
