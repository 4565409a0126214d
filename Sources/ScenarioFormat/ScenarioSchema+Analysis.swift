import CampaignModel
import RunPlan
import Yams

// The two sections that are about runs rather than the model: `thresholds:` (checked after a run)
// and `sweep:` (what `campaign-sim sweep` varies).
extension ScenarioSchema {
  /// ```yaml
  /// thresholds:
  ///   promo.delivered_fraction: ">= 0.95"                          # one condition
  ///   promo.sending_finished_at: ["<= 3d", "> 1h"]                 # several
  ///   failed_fraction: {condition: "< 0.01", strict: true}         # on the confidence bound
  /// ```
  func thresholds(_ found: (node: Node, path: String), campaignIDs: [String]) throws(ScenarioError) -> [Threshold] {
    guard case .mapping(let mapping) = found.node else {
      throw reader.error(
        found.node, found.path,
        "expected a mapping of figure names to conditions, like promo.delivered_fraction: \">= 0.95\", found "
          + reader.describe(found.node))
    }
    var thresholds: [Threshold] = []
    // Each figure is read on its own: a bad one is recorded and the others are still checked.
    for (keyNode, value) in mapping {
      let read = try reader.recovering { () throws(ScenarioError) in
        try threshold(keyNode, value, found.path, campaignIDs: campaignIDs)
      }
      thresholds += read ?? []
    }
    return thresholds
  }

  private func threshold(_ keyNode: Node, _ value: Node, _ parent: String, campaignIDs: [String])
    throws(ScenarioError) -> [Threshold]
  {
    guard case .scalar(let scalar) = keyNode else {
      throw reader.error(keyNode, parent, "expected a figure name, found \(reader.describe(keyNode))")
    }
    let figure = scalar.string
    let path = child(parent, figure)
    let conditions: [(node: Node, path: String, strict: Bool)]
    if case .sequence(let items) = value {
      guard !items.isEmpty else {
        throw reader.error(value, path, "expected at least one condition, found an empty list")
      }
      var all: [(node: Node, path: String, strict: Bool)] = []
      for (index, item) in items.enumerated() {
        all += try conditionItems(item, child(path, index), strict: false, allowList: false)
      }
      conditions = all
    } else {
      conditions = try conditionItems(value, path, strict: false, allowList: true)
    }
    var thresholds: [Threshold] = []
    for (node, conditionPath, strict) in conditions {
      let text = try conditionString(node, conditionPath)
      do {
        thresholds.append(
          try Conditions.threshold(figure: figure, condition: text, campaignIDs: campaignIDs, strict: strict))
      } catch {
        throw error.part == .figure
          ? reader.error(keyNode, path, error.message) : reader.error(node, conditionPath, error.message)
      }
    }
    return thresholds
  }

  /// A condition string, or `{condition: STRING or [STRING…], strict: BOOL}`.
  private func conditionItems(_ node: Node, _ path: String, strict: Bool, allowList: Bool) throws(ScenarioError)
    -> [(node: Node, path: String, strict: Bool)]
  {
    guard case .mapping = node else { return [(node, path, strict)] }
    let fields = try reader.fields(node, path, ScenarioKeys.strictCondition)
    var strict = strict
    if let (node, path) = fields("strict") { strict = try bool(node, path) }
    let (conditionNode, conditionPath) = try fields.required("condition")
    if case .sequence(let items) = conditionNode {
      guard allowList, !items.isEmpty else {
        throw reader.error(
          conditionNode, conditionPath, "expected a condition string, found \(reader.describe(conditionNode))")
      }
      return items.enumerated().map { ($1, child(conditionPath, $0), strict) }
    }
    return [(conditionNode, conditionPath, strict)]
  }

  private func conditionString(_ node: Node, _ path: String) throws(ScenarioError) -> String {
    guard case .scalar(let scalar) = node, node.tagName == .str else {
      throw reader.error(
        node, path,
        "expected a condition string like \">= 0.95\" (quoted: YAML reads a leading > as a folded block), found "
          + reader.describe(node))
    }
    return scalar.string
  }

  func bool(_ node: Node, _ path: String) throws(ScenarioError) -> Bool {
    guard case .scalar(let scalar) = node, node.tagName == .bool, let value = Bool.construct(from: scalar) else {
      throw reader.error(node, path, "expected true or false, found \(reader.describe(node))")
    }
    return value
  }

  /// ```yaml
  /// sweep:
  ///   vary:
  ///     business.messaging_limit: [250, 2000, 10000, 100000]
  ///     senders.main.throughput_mps: [80, 1000]
  ///   figure: promo.sending_finished_at
  ///   find_max:
  ///     parameter: campaigns.promo.audience
  ///     until: "promo.sending_finished_at <= 3d and promo.delivered_fraction >= 0.95"
  ///     low: 1
  ///     high: 1000000
  /// ```
  /// Every value is applied to the scenario once here, so a bad one is reported at its line
  /// before anything runs.
  func sweep(_ found: (node: Node, path: String), base: Scenario) throws(ScenarioError) -> SweepPlan {
    let fields = try reader.fields(found.node, found.path, ScenarioKeys.sweep)
    let campaignIDs = base.campaigns.map(\.id)
    var plan = SweepPlan()
    if let (node, path) = fields("vary") {
      guard case .mapping(let mapping) = node else {
        throw reader.error(
          node, path, "expected a mapping of parameter paths to lists of values, found \(reader.describe(node))")
      }
      // Each axis is read on its own: a bad one is recorded and the others are still checked.
      for (keyNode, valueNode) in mapping {
        let axis = try reader.recovering { () throws(ScenarioError) in
          try self.axis(keyNode, valueNode, path, base: base)
        }
        if let axis { plan.vary.append(axis) }
      }
    }
    plan.figure = try fields.read("figure") { (node, path) throws(ScenarioError) in
      let figure = try reader.identifier(node, path)
      if case .failure(let error) = Figures.resolve(figure, campaignIDs: campaignIDs) {
        throw reader.error(node, path, error.message)
      }
      return figure
    }
    plan.findMax = try fields.read("find_max") { (node, path) throws(ScenarioError) in
      try findMax(node, path, vary: plan.vary, base: base)
    }
    return plan
  }

  private func findMax(_ node: Node, _ path: String, vary: [SweepAxis], base: Scenario) throws(ScenarioError)
    -> FindMax
  {
    let campaignIDs = base.campaigns.map(\.id)
    let search = try reader.fields(node, path, ScenarioKeys.findMax)
    let (parameterNode, parameterPath) = try search.required("parameter")
    let parameter = try reader.identifier(parameterNode, parameterPath)
    let current: ParameterValue
    do {
      current = try ScenarioParameters.current(parameter, in: base)
    } catch {
      throw reader.error(parameterNode, parameterPath, error.message)
    }
    if case .string(let text) = current, text != "unlimited" {
      throw reader.error(
        parameterNode, parameterPath, "'\(parameter)' is not a number; find_max needs an integer parameter")
    }
    if vary.contains(where: { $0.path == parameter }) {
      throw reader.error(
        parameterNode, parameterPath, "'\(parameter)' is both varied and searched; drop it from vary")
    }
    var strict = false
    if let (node, path) = search("strict") { strict = try bool(node, path) }
    let (untilNode, untilPath) = try search.required("until")
    let text = try conditionString(untilNode, untilPath)
    let until: [Threshold]
    do {
      until = try Conditions.conjunction(text, campaignIDs: campaignIDs, strict: strict)
    } catch {
      throw reader.error(untilNode, untilPath, error.message)
    }
    var low = 1
    if let (node, path) = search("low") {
      low = try reader.count(node, path, search.table["low"].shape)
      try check(parameter, .int(low), base: base, at: node, path)
    }
    var high: Int?
    if let (node, path) = search("high"), node.tagName != .null {
      guard case .either(let shapes) = search.table["high"].shape else { preconditionFailure("high is count or null") }
      high = try reader.count(node, path, shapes[0])
      if high! < low {
        throw reader.error(node, path, "expected high ≥ low (\(low)), found \(high!)")
      }
      try check(parameter, .int(high!), base: base, at: node, path)
    }
    return FindMax(parameter: parameter, until: until, low: low, high: high)
  }

  private func axis(_ keyNode: Node, _ valueNode: Node, _ parent: String, base: Scenario) throws(ScenarioError)
    -> SweepAxis
  {
    guard case .scalar(let key) = keyNode else {
      throw reader.error(keyNode, parent, "expected a parameter path, found \(reader.describe(keyNode))")
    }
    let axisPath = child(parent, key.string)
    do {
      _ = try ScenarioParameters.current(key.string, in: base)
    } catch {
      throw reader.error(keyNode, axisPath, error.message)
    }
    let items: [(Node, String)]
    if case .sequence(let sequence) = valueNode {
      items = sequence.enumerated().map { ($1, child(axisPath, $0)) }
    } else {
      items = [(valueNode, axisPath)]
    }
    guard !items.isEmpty else { throw reader.error(valueNode, axisPath, "expected at least one value") }
    var values: [ParameterValue] = []
    for (itemNode, itemPath) in items {
      let value = try reader.recovering { () throws(ScenarioError) in
        let value = try parameterValue(itemNode, itemPath)
        try check(key.string, value, base: base, at: itemNode, itemPath)
        return value
      }
      if let value { values.append(value) }
    }
    return SweepAxis(path: key.string, values: values)
  }

  /// A count written with a multiplier (`10K`) is the integer it stands for, so that a sweep
  /// over messaging limits or audiences can be written as the tiers are spoken of.
  private func parameterValue(_ node: Node, _ path: String) throws(ScenarioError) -> ParameterValue {
    if case .scalar(let scalar) = node {
      switch node.tagName {
      case .int: if let value = Int.construct(from: scalar) { return .int(value) }
      case .float: if let value = Double.construct(from: scalar), value.isFinite { return .double(value) }
      case .str:
        if case .value(let count) = CountShorthand.parse(scalar.string) { return .int(count) }
        return .string(scalar.string)
      default: break
      }
    }
    throw reader.error(node, path, "expected a number or a string, found \(reader.describe(node))")
  }

  /// Applies `value` to the scenario to check it as the file would. Only on a file read without
  /// error so far: with a default standing in for a bad value, the check could fail for a reason
  /// that is not this value's.
  private func check(_ parameter: String, _ value: ParameterValue, base: Scenario, at node: Node, _ path: String)
    throws(ScenarioError)
  {
    guard reader.diagnostics.isEmpty else { return }
    do {
      _ = try ScenarioParameters.applying([(parameter, value)], to: base)
    } catch {
      throw reader.error(node, path, error.message)
    }
  }
}
