import CampaignModel
import SimKernel

/// The effective scenario of a served run: the model's sections plus the emulator's keys, with
/// every default written out and the secrets replaced by `"<redacted>"` (a report must never
/// hold them, whichever way they were given).
public func effectiveDocument(_ scenario: Scenario, emulator settings: EmulatorSettings) -> Document {
  guard case .object(var sections) = effectiveDocument(scenario) else { return effectiveDocument(scenario) }
  for (index, section) in sections.enumerated() {
    switch (section.0, section.1) {
    case ("senders", .array(let senders)):
      sections[index].1 = .array(
        senders.enumerated().map { adding("phone_number_id", settings.phoneNumberIDs, $0.offset, to: $0.element) })
    case ("campaigns", .array(let campaigns)):
      sections[index].1 = .array(
        campaigns.enumerated().map { adding("template", settings.templates, $0.offset, to: $0.element) })
    default: break
    }
  }
  sections.append(("emulator", emulatorDocument(settings)))
  return .object(sections)
}

/// The `emulator:` section with every default written out and the secrets redacted.
func emulatorDocument(_ settings: EmulatorSettings) -> Document {
  let webhook = settings.webhook
  let redacted = Document.string("<redacted>")
  var emulator: [(String, Document)] = [
    ("port", .int(settings.port)), ("bind", .string(settings.bind)),
    ("access_token", redacted), ("app_secret", redacted),
  ]
  if let duration = settings.duration { emulator.append(("duration", .string(formatDuration(duration)))) }
  var hook: [(String, Document)] = []
  if let url = webhook.url { hook.append(("url", .string(url))) }
  if webhook.verifyToken != nil { hook.append(("verify_token", redacted)) }
  hook += [
    ("max_age", .string(formatDuration(webhook.maxAge))), ("duplicates", .double(webhook.duplicates)),
    ("delay", distributionDocument(webhook.delay)), ("batch", .int(webhook.batch)),
    ("backlog", .int(webhook.backlog)), ("timeout", .string(formatDuration(webhook.timeout))),
  ]
  emulator.append(("webhook", .object(hook)))
  return .object(emulator)
}

private func adding(_ key: String, _ values: [String], _ index: Int, to item: Document) -> Document {
  guard case .object(var fields) = item, index < values.count else { return item }
  fields.insert((key, .string(values[index])), at: min(1, fields.count))
  return .object(fields)
}
