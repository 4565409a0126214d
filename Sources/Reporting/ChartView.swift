/// What the `chart` template draws: every coordinate already computed and
/// formatted (`SVGNumber`), so the template only lays out elements and text.
///
/// Mustache looks names up the context stack when a value is missing or `nil`,
/// so field names are unique across these types: an absent optional never
/// picks up a namesake from an enclosing object.
struct ChartView {
  struct Tick {
    var x1, y1, x2, y2: String
    var labelX, labelY: String
    var label: String
  }

  /// A time window drawn behind the data (outage, throttle).
  struct Shade {
    var kind: String
    var shadeX, shadeY, shadeWidth, shadeHeight: String
    var shadeRight, shadeBottom: String
    /// `nil` when the window is too narrow for its label.
    var shadeLabel: String?
    var shadeLabelX, shadeLabelY: String
    var tip: String
  }

  struct Area {
    var d: String
    var fill: String
    var name: String
    var hatched: Bool
  }

  /// A translucent min–max band over replications.
  struct Band {
    var bandPath: String
    var bandFill: String
  }

  struct Line {
    var linePath: String
    var stroke: String
    var dash: String
    var strokeWidth: String
    var lineName: String
  }

  /// A data point's symbol: coincident lines stay apart by shape as well as by dash and colour.
  struct Marker {
    var markerX, markerY: String
    var markerScale: String
    /// The shape's path around the origin (`MarkerShape`), moved to the point by a translation.
    var markerShape: String
    var markerFill: String
    var markerStroke: String
    var markerTip: String
  }

  /// A straight marker line with its caption (a limit level, a moment).
  struct Rule {
    var kind: String
    var rx1, ry1, rx2, ry2: String
    var ruleText: String
    var ruleTextX, ruleTextY: String
    var ruleAnchor: String
  }

  struct Bar {
    var barX, barY, barWidth, barHeight: String
    var barFill: String
    var barTip: String
    var hatchedBar: Bool
    var valueText: String
    var valueX, valueY: String
    var valueAnchor: String
  }

  struct Label {
    var text: String
    var textX, textY: String
    var anchor: String
  }

  struct LegendItem {
    var key: String
    var swatch: String
    var isLine: Bool
    var keyDash: String
    var keyHatched: Bool
    /// A line's marker shape (`MarkerShape`), drawn over its swatch.
    var keyMarker: String? = nil
  }

  struct LegendGroup {
    var groupTitle: String?
    var items: [LegendItem]
  }

  var id: String
  var title: String
  var summary: String
  var viewWidth: String
  var viewHeight: String
  var frameLeft, frameTop, frameRight, frameBottom: String
  var xTitle: String
  var xTitleX, xTitleY: String
  var yTitle: String
  var yTitleX, yTitleY: String
  var y2Title: String?
  var y2TitleX: String
  var xTicks: [Tick] = []
  var yTicks: [Tick] = []
  var y2Ticks: [Tick] = []
  var shades: [Shade] = []
  var areas: [Area] = []
  var bands: [Band] = []
  var lines: [Line] = []
  var rules: [Rule] = []
  /// Markers drawn behind the data, for a level the data may run along.
  var backRules: [Rule] = []
  /// Lines drawn behind the data, for a limit the data may run along.
  var backLines: [Line] = []
  var markers: [Marker] = []
  var bars: [Bar] = []
  var whiskers: [String] = []
  var labels: [Label] = []
  var legend: [LegendGroup] = []
  var notes: [String] = []

  init(id: String, title: String, summary: String, width: Double, height: Double, frame: PlotFrame) {
    self.id = id
    self.title = title
    self.summary = summary
    viewWidth = SVGNumber.format(width)
    viewHeight = SVGNumber.format(height)
    frameLeft = SVGNumber.format(frame.left)
    frameTop = SVGNumber.format(frame.top)
    frameRight = SVGNumber.format(frame.right)
    frameBottom = SVGNumber.format(frame.bottom)
    xTitle = ""
    xTitleX = SVGNumber.format(frame.left + frame.width / 2)
    xTitleY = SVGNumber.format(height - 6)
    yTitle = ""
    yTitleX = "14"
    yTitleY = SVGNumber.format(frame.top + frame.height / 2)
    y2TitleX = SVGNumber.format(width - 8)
  }
}
