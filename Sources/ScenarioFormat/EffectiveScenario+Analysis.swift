import CampaignModel
import RunPlan

/// `thresholds` and `sweep`, written only when the scenario has them so that plain scenarios
/// keep exactly the MODEL.md §7 keys. Each reads back to the same values.
func analysisSections(_ file: ScenarioFile) -> [(String, Document)] {
  var sections: [(String, Document)] = []
  if !file.thresholds.isEmpty { sections.append(("thresholds", thresholdsDocument(file.thresholds))) }
  if let sweep = file.sweep { sections.append(("sweep", sweepDocument(sweep))) }
  return sections
}

/// One key per figure, in the order figures first appear; several conditions on a figure become a list.
func thresholdsDocument(_ thresholds: [Threshold]) -> Document {
  var figures: [String] = []
  for threshold in thresholds where !figures.contains(threshold.figure) { figures.append(threshold.figure) }
  return .object(
    figures.map { figure in
      let items: [Document] = thresholds.filter { $0.figure == figure }.map { threshold in
        let condition = Document.string(Conditions.conditionText(threshold))
        return threshold.strict ? .object([("condition", condition), ("strict", .bool(true))]) : condition
      }
      return (figure, items.count == 1 ? items[0] : .array(items))
    })
}

func sweepDocument(_ sweep: SweepPlan) -> Document {
  var pairs: [(String, Document)] = [
    ("vary", .object(sweep.vary.map { ($0.path, .array($0.values.map(ScenarioParameters.documentValue))) }))
  ]
  if let figure = sweep.figure { pairs.append(("figure", .string(figure))) }
  if let search = sweep.findMax {
    pairs.append(
      (
        "find_max",
        .object([
          ("parameter", .string(search.parameter)),
          ("until", .string(Conditions.text(search.until))),
          ("low", .int(search.low)),
          ("high", search.high.map(Document.int) ?? .null),
          ("strict", .bool(search.until.contains(where: \.strict))),
        ])
      ))
  }
  return .object(pairs)
}
