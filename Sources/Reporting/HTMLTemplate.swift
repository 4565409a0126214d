/// The Mustache templates of `report.html`: page layout, words and styles.
/// Numbers and SVG geometry come from `HTMLReport`; nothing here is fetched
/// from anywhere, so the page opens offline.
///
/// The page is also well-formed XML (void elements self-closed, every
/// attribute quoted), so tests can check its structure with a real parser.
///
/// The templates are Swift strings rather than package resources so the
/// `campaign-sim` binary stays one self-sufficient file: on Linux a resource
/// bundle must sit next to the executable, and a copied binary would lose it.
enum HTMLTemplate {
  /// One chart (`ChartView`): the SVG, then its legend and notes.
  static let chart = #"""
    <figure class="chart" id="{{id}}">
    <svg class="plot" viewBox="0 0 {{viewWidth}} {{viewHeight}}" role="img" aria-labelledby="{{id}}-title {{id}}-desc">
    <title id="{{id}}-title">{{title}}</title>
    <desc id="{{id}}-desc">{{summary}}</desc>
    {{#shades}}<g class="shade {{kind}}"><title>{{tip}}</title><rect x="{{shadeX}}" y="{{shadeY}}" width="{{shadeWidth}}" height="{{shadeHeight}}"/><rect class="stripes" x="{{shadeX}}" y="{{shadeY}}" width="{{shadeWidth}}" height="{{shadeHeight}}"/></g>
    {{/shades}}
    <g class="grid">{{#xTicks}}<line x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}"/>{{/xTicks}}{{#yTicks}}<line x1="{{x1}}" y1="{{y1}}" x2="{{x2}}" y2="{{y2}}"/>{{/yTicks}}</g>
    {{#backRules}}<line class="rule {{kind}}" x1="{{rx1}}" y1="{{ry1}}" x2="{{rx2}}" y2="{{ry2}}"/><text class="rule-label {{kind}}" x="{{ruleTextX}}" y="{{ruleTextY}}" text-anchor="{{ruleAnchor}}">{{ruleText}}</text>
    {{/backRules}}
    {{#backLines}}<path class="line" d="{{linePath}}" stroke="{{stroke}}" stroke-dasharray="{{dash}}" stroke-width="{{strokeWidth}}"><title>{{lineName}}</title></path>
    {{/backLines}}
    {{#areas}}<path class="area" d="{{d}}" fill="{{fill}}"><title>{{name}}</title></path>{{#hatched}}<path class="hatch" d="{{d}}"/>{{/hatched}}
    {{/areas}}
    {{#bands}}<path class="band" d="{{bandPath}}" fill="{{bandFill}}"/>
    {{/bands}}
    {{#bars}}<rect class="bar" x="{{barX}}" y="{{barY}}" width="{{barWidth}}" height="{{barHeight}}" fill="{{barFill}}"><title>{{barTip}}</title></rect>{{#hatchedBar}}<rect class="hatch" x="{{barX}}" y="{{barY}}" width="{{barWidth}}" height="{{barHeight}}"/>{{/hatchedBar}}<text class="value" x="{{valueX}}" y="{{valueY}}" dy="0.35em" text-anchor="{{valueAnchor}}">{{valueText}}</text>
    {{/bars}}
    {{#whiskers}}<path class="whisker" d="{{.}}"/>
    {{/whiskers}}
    {{#lines}}<path class="line" d="{{linePath}}" stroke="{{stroke}}" stroke-dasharray="{{dash}}" stroke-width="{{strokeWidth}}"><title>{{lineName}}</title></path>
    {{/lines}}
    {{#markers}}<path class="marker" transform="translate({{markerX}} {{markerY}}) scale({{markerScale}})" d="{{markerShape}}" fill="{{markerFill}}" stroke="{{markerStroke}}"><title>{{markerTip}}</title></path>
    {{/markers}}
    {{#shades}}<line class="edge {{kind}}" x1="{{shadeX}}" y1="{{shadeY}}" x2="{{shadeX}}" y2="{{shadeBottom}}"/><line class="edge {{kind}}" x1="{{shadeRight}}" y1="{{shadeY}}" x2="{{shadeRight}}" y2="{{shadeBottom}}"/>{{#shadeLabel}}<text class="shade-label {{kind}}" x="{{shadeLabelX}}" y="{{shadeLabelY}}" text-anchor="middle">{{.}}</text>{{/shadeLabel}}
    {{/shades}}
    {{#rules}}<line class="rule {{kind}}" x1="{{rx1}}" y1="{{ry1}}" x2="{{rx2}}" y2="{{ry2}}"/><text class="rule-label {{kind}}" x="{{ruleTextX}}" y="{{ruleTextY}}" text-anchor="{{ruleAnchor}}">{{ruleText}}</text>
    {{/rules}}
    <line class="axis" x1="{{frameLeft}}" y1="{{frameBottom}}" x2="{{frameRight}}" y2="{{frameBottom}}"/>
    <line class="axis" x1="{{frameLeft}}" y1="{{frameTop}}" x2="{{frameLeft}}" y2="{{frameBottom}}"/>
    <g class="ticks">{{#xTicks}}<text x="{{labelX}}" y="{{labelY}}" text-anchor="middle">{{label}}</text>{{/xTicks}}{{#yTicks}}<text x="{{labelX}}" y="{{labelY}}" dy="0.35em" text-anchor="end">{{label}}</text>{{/yTicks}}{{#y2Ticks}}<text x="{{labelX}}" y="{{labelY}}" dy="0.35em" text-anchor="start">{{label}}</text>{{/y2Ticks}}</g>
    {{#labels}}<text class="category" x="{{textX}}" y="{{textY}}" dy="0.35em" text-anchor="{{anchor}}">{{text}}</text>
    {{/labels}}
    <text class="axis-title" x="{{xTitleX}}" y="{{xTitleY}}" text-anchor="middle">{{xTitle}}</text>
    <text class="axis-title" transform="translate({{yTitleX}} {{yTitleY}}) rotate(-90)" text-anchor="middle">{{yTitle}}</text>
    {{#y2Title}}<text class="axis-title" transform="translate({{y2TitleX}} {{yTitleY}}) rotate(90)" text-anchor="middle">{{.}}</text>
    {{/y2Title}}
    </svg>
    <figcaption>
    {{#legend}}<div class="legend">{{#groupTitle}}<span class="group">{{.}}</span>{{/groupTitle}}{{#items}}<span class="key"><svg width="26" height="12" viewBox="0 0 26 12" aria-hidden="true">{{#isLine}}<line x1="1" y1="6" x2="25" y2="6" stroke="{{swatch}}" stroke-width="2.5" stroke-dasharray="{{keyDash}}"/>{{#keyMarker}}<path transform="translate(13 6)" d="{{.}}" fill="{{swatch}}" stroke="{{swatch}}"/>{{/keyMarker}}{{/isLine}}{{^isLine}}<rect width="26" height="12" fill="{{swatch}}"/>{{#keyHatched}}<rect class="hatch" width="26" height="12"/>{{/keyHatched}}{{/isLine}}</svg>{{key}}</span>{{/items}}</div>
    {{/legend}}
    {{#notes}}<p class="note">{{.}}</p>
    {{/notes}}
    </figcaption>
    </figure>

    """#

  /// The stylesheet of every HTML page (report.html, sweep.html): one look for all of them.
  static let style = #"""
    <style>
    :root { color-scheme: light; --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d9d9d9; --good: #1a6e3a; --bad: #b23c00; --partial: #8a5a00; }
    * { box-sizing: border-box; }
    body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
    header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 20px; }
    header { padding-top: 20px; }
    h1 { font-size: 26px; margin: 0 0 8px; }
    h1 .kind { font-weight: 400; color: var(--muted); font-size: 18px; }
    h2 { font-size: 21px; margin: 36px 0 6px; padding-top: 14px; border-top: 3px solid var(--ink); }
    h3 { font-size: 16px; margin: 22px 0 2px; }
    p.explain { margin: 0 0 6px; color: var(--muted); max-width: 900px; }
    .facts { display: flex; flex-wrap: wrap; gap: 6px 26px; margin: 0 0 12px; }
    .facts div { display: flex; gap: 6px; }
    .facts dt { color: var(--muted); }
    .facts dd { margin: 0; font-weight: 600; }
    .replicated { background: #eef5fb; border-left: 4px solid #0072b2; padding: 6px 10px; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
    th { font-weight: 600; background: #f4f4f4; }
    td.num, th.num { text-align: right; }
    td.good { color: var(--good); font-weight: 600; }
    td.bad { color: var(--bad); font-weight: 600; }
    td.partial { color: var(--partial); font-weight: 600; }
    a { color: #0060a0; }
    .note, .hint { color: var(--muted); font-size: 13px; margin: 2px 0; }
    .headline { font-size: 15px; margin: 4px 0 0; }
    .headline b.good { color: var(--good); }
    .headline b.bad { color: var(--bad); }
    .headline b.partial { color: var(--partial); }
    .warning { background: #fdf3e7; border-left: 4px solid var(--bad); padding: 6px 10px; }
    figure.chart { margin: 6px 0 0; }
    figure.chart svg.plot { display: block; width: 100%; height: auto; font-size: 12px; }
    figcaption { margin: 2px 0 0; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; margin: 2px 0; }
    .legend .group { font-weight: 600; min-width: 80px; }
    .legend .key { display: inline-flex; align-items: center; gap: 6px; }
    .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; align-items: start; }
    .grid line { stroke: #e6e6e6; stroke-width: 1; }
    .axis { stroke: #333; stroke-width: 1.2; }
    .ticks text { fill: #333; }
    .axis-title { fill: #333; font-size: 12px; font-weight: 600; }
    .category { fill: #222; font-size: 12px; }
    .value { fill: #222; font-size: 12px; }
    .hatch { fill: url(#hatch); pointer-events: none; }
    .area { stroke: #fff; stroke-width: 0.4; }
    .band { fill-opacity: 0.22; stroke: none; }
    .line { fill: none; stroke-linejoin: round; }
    .marker { stroke-width: 1.6; }
    .whisker { stroke: #111; stroke-width: 1.4; fill: none; }
    .shade.outage rect { fill: #a50f15; fill-opacity: 0.12; }
    .shade.outage rect.stripes { fill: url(#stripes); fill-opacity: 1; }
    .shade.throttle rect { fill: #5b7189; fill-opacity: 0.16; }
    .shade.throttle rect.stripes { display: none; }
    .shade-label, .rule-label, .value { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
    .shade-label { font-size: 12px; font-weight: 600; }
    .edge { stroke-width: 1.2; stroke-dasharray: 4 3; }
    .edge.outage { stroke: #a50f15; }
    .edge.throttle { stroke: #5b7189; }
    .shade-label.outage { fill: #a50f15; }
    .shade-label.throttle { fill: #3d4f63; }
    .rule { stroke-width: 1.5; }
    .rule.limit { stroke: #7b3294; stroke-dasharray: 6 4; stroke-width: 2; }
    .rule.moment { stroke: #444; stroke-dasharray: 2 3; }
    .rule.level { stroke: #444; stroke-dasharray: 1 3; }
    .rule.ceiling { stroke: #c2a5cf; stroke-opacity: 0.9; stroke-width: 7; }
    .rule-label.ceiling { fill: #5e2a84; font-weight: 600; }
    .rule-label { font-size: 12px; fill: #333; }
    .rule.tier { stroke: #7a7a7a; stroke-dasharray: 2 4; stroke-width: 1.2; }
    .rule-label.tier { fill: #5a5a5a; }
    .rule-label.limit { fill: #5e2a84; font-weight: 600; }
    .errors { font-size: 13px; width: 100%; }
    .errors tr.zero td { color: #8a8a8a; }
    .errors .then { color: var(--muted); font-size: 12px; white-space: nowrap; }
    pre { background: #f6f6f6; border: 1px solid var(--rule); padding: 10px 12px; overflow-x: auto; font-size: 13px; }
    #engine { background: #fafafa; border: 1px dashed #999; padding: 4px 14px 10px; margin-top: 30px; }
    #engine h2 { border: 0; margin-top: 8px; }
    footer { color: var(--muted); font-size: 12px; padding-bottom: 30px; }
    table.sweep { margin-top: 14px; font-size: 13px; }
    table.sweep th { vertical-align: bottom; overflow-wrap: anywhere; }
    table.sweep th.num { max-width: 150px; }
    table.sweep td.num { white-space: nowrap; }
    table.sweep td.wrap { max-width: 300px; overflow-wrap: anywhere; }
    p.paths { color: var(--muted); font-size: 12px; margin: 2px 0; }
    p.paths code { font-size: 12px; }
    p.paths span { margin-right: 16px; }
    @media (max-width: 900px) { .pair { grid-template-columns: 1fr; } }
    </style>

    """#

  /// Patterns the charts fill with (`url(#hatch)`, `url(#stripes)`), defined once per page.
  static let defs = #"""
    <svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">
    <defs>
    <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="6" fill="#ffffff" fill-opacity="0.5"/></pattern>
    <pattern id="stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="8" fill="#a50f15" fill-opacity="0.3"/></pattern>
    </defs>
    </svg>

    """#

  static let page = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8"/>
    <meta name="viewport" content="width=device-width, initial-scale=1"/>
    <title>{{name}}: campaign simulation report</title>
    {{> style}}
    </head>
    <body>
    {{> defs}}
    <header>
    <h1>{{name}} <span class="kind">campaign simulation report</span></h1>
    <dl class="facts">
    {{#facts}}<div><dt>{{factName}}</dt><dd>{{factValue}}</dd></div>
    {{/facts}}
    </dl>
    {{#replicated}}<p class="replicated">{{.}}</p>{{/replicated}}
    {{#warnings}}<p class="warning">{{.}}</p>{{/warnings}}
    <table id="campaigns" class="campaigns">
    <thead><tr><th>campaign</th><th>sender</th><th>state</th><th class="num">messages</th><th class="num">sending finished at</th><th class="num">delivered</th><th class="num">read</th><th class="num">responded</th></tr></thead>
    <tbody>
    {{#campaignLines}}<tr><td>{{#anchor}}<a href="#{{.}}">{{campaignId}}</a>{{/anchor}}{{^anchor}}{{campaignId}}{{/anchor}}</td><td>{{sender}}</td><td class="{{stateClass}}">{{state}}</td><td class="num">{{messages}}</td><td class="num">{{finished}}</td><td class="num">{{delivered}}</td><td class="num">{{read}}</td><td class="num">{{responded}}</td></tr>
    {{/campaignLines}}
    </tbody>
    </table>
    <p class="hint">Delivered, read and responded count every message that got at least that far (a read message was delivered; a response implies a read, seen or not). Times are simulated time since the scenario's start.</p>
    </header>
    <main>
    <section id="business">
    <h2>Business: the 24 h messaging limit</h2>
    <p class="explain">WhatsApp lets a business reach a limited number of unique contacts in any rolling 24 hours, shared by all its numbers. Where the line meets the limit, further attempts fail with 131049 (naive pacing) or senders stand still (limit-aware pacing) until the oldest contacts leave the window.</p>
    {{#limit}}{{> chart}}{{/limit}}
    {{#limitMissing}}<p class="note">{{.}}</p>{{/limitMissing}}
    {{#scalingNote}}<p class="explain">{{.}}</p>
    {{/scalingNote}}
    {{#quality}}<h3>Quality rating</h3>
    {{> chart}}
    {{/quality}}
    <h3>Senders</h3>
    <table id="senders" class="senders">
    <thead><tr><th>sender</th><th class="num">throughput</th><th class="num">attempts</th><th class="num">accepted</th><th class="num">errors</th><th class="num" title="times a limit-aware sender stood still until the rolling window freed room under the messaging limit">waits for the limit window</th></tr></thead>
    <tbody>
    {{#senderRows}}<tr><td>{{senderId}}</td><td class="num">{{rate}}</td><td class="num">{{dispatches}}</td><td class="num">{{acceptances}}</td><td class="num">{{senderErrors}}</td><td class="num">{{pauses}}</td></tr>
    {{/senderRows}}
    </tbody>
    </table>
    <p class="note">Limit pauses: times a sender stood still because the 24 h window was full (limit-aware pacing only).</p>
    </section>
    {{#sectionsNote}}<p class="note">{{.}}</p>{{/sectionsNote}}
    {{#campaigns}}
    <section class="campaign" id="{{line.anchor}}">
    <h2>Campaign {{line.campaignId}}</h2>
    <p class="headline">sender <b>{{line.sender}}</b> · <b class="{{line.stateClass}}">{{line.state}}</b> · {{line.messages}} messages · sending finished at <b>{{line.finished}}</b> · delivered <b>{{line.delivered}}</b> · read <b>{{line.read}}</b> · responded <b>{{line.responded}}</b></p>
    <h3>Message states over time</h3>
    <p class="explain">Every message is in exactly one state at each moment. Success (blue) grows from the bottom, failures (warm colours, hatched) hang from the top, and the grey band between is work still queued, sending or waiting to retry: when it is gone, sending has finished.</p>
    {{#flow}}{{> chart}}{{/flow}}
    <h3>Throughput</h3>
    <p class="explain">Attempts dispatched per second, split into accepted (blue) and refused with an error (red, hatched). Shaded windows with dashed edges are the sender's outages and throttles; the dashed purple line marks when the business's 24 h limit was full.</p>
    {{#throughput}}{{> chart}}{{/throughput}}
    <div class="pair">
    <div>
    <h3>Final states</h3>
    {{#outcomes}}{{> chart}}{{/outcomes}}
    </div>
    <div>
    <h3>Failure reasons</h3>
    {{#reasons}}{{> chart}}{{/reasons}}
    </div>
    </div>
    <div class="pair">
    <div>
    <h3>Errors by code</h3>
    <table id="{{errorsId}}" class="errors">
    <thead><tr><th>code</th><th>meaning</th><th class="num">responses</th><th class="num">of attempts</th></tr></thead>
    <tbody>
    {{#errorRows}}<tr class="{{#zero}}zero{{/zero}}"><td>{{code}}</td><td>{{meaning}} <span class="then">{{retryable}}</span></td><td class="num">{{errorCount}}</td><td class="num">{{share}}</td></tr>
    {{/errorRows}}
    </tbody>
    </table>
    <p class="note">Counted per attempt at its dispatch time; a retried message can collect several. After a retried code the message waits and tries again while it has retries left; the others end it.</p>
    </div>
    <div>
    <h3>Attempts per message</h3>
    {{#attempts}}{{> chart}}{{/attempts}}
    </div>
    </div>
    <h3>Latency</h3>
    <p class="explain">How long each step took, from the fastest message (left) to the slowest one in a thousand (right). Start to sent includes waiting in the queue.</p>
    {{#latency}}{{> chart}}{{/latency}}
    <table class="latency">
    <thead><tr><th>span</th><th class="num">messages</th><th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th></tr></thead>
    <tbody>
    {{#latencyRows}}<tr><td>{{span}}</td><td class="num">{{samples}}</td><td class="num">{{p50}}</td><td class="num">{{p90}}</td><td class="num">{{p99}}</td><td class="num">{{p999}}</td><td class="num">{{pmax}}</td></tr>
    {{/latencyRows}}
    </tbody>
    </table>
    </section>
    {{/campaigns}}
    <section id="scenario">
    <h2>Effective scenario</h2>
    <p class="explain">The scenario as it ran, every default filled in: save it as a .yaml file to run it again.</p>
    <pre>{{scenarioYAML}}</pre>
    </section>
    {{#engine}}
    <section id="engine">
    <h2>Engine</h2>
    <p class="explain">How the simulator itself performed on this machine: the only part of this page that differs between two runs of the same scenario and seed.</p>
    <dl class="facts">
    {{#engineLines}}<div><dt>{{engineName}}</dt><dd>{{engineValue}}</dd></div>
    {{/engineLines}}
    </dl>
    </section>
    {{/engine}}
    </main>
    <footer>
    <p>CampaignSim report.html: self-contained, opens offline. The same figures are in report.json, report.md and the CSV files beside it.</p>
    </footer>
    </body>
    </html>

    """#

  /// sweep.html of a grid sweep or a capacity search: report.html's stylesheet and chart, then
  /// the table of every point.
  static let sweep = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8"/>
    <meta name="viewport" content="width=device-width, initial-scale=1"/>
    <title>{{pageTitle}}</title>
    {{> style}}
    </head>
    <body>
    {{> defs}}
    <header>
    <h1>{{heading}} <span class="kind">{{kind}}</span></h1>
    <dl class="facts">
    {{#facts}}<div><dt>{{factName}}</dt><dd>{{factValue}}</dd></div>
    {{/facts}}
    </dl>
    {{#intro}}<p class="explain">{{.}}</p>
    {{/intro}}
    </header>
    <main>
    {{#chart}}<h2>{{title}}</h2>
    {{> chart}}{{/chart}}
    <p class="paths">{{#paths}}<span>{{pathRole}}: <code>{{pathText}}</code></span> {{/paths}}</p>
    <h2>Every point</h2>
    <table id="points" class="sweep">
    <thead><tr>{{#header}}<th class="{{headClass}}"{{#headPath}} title="{{.}}"{{/headPath}}>{{headText}}</th>{{/header}}</tr></thead>
    <tbody>
    {{#rows}}<tr>{{#cells}}<td class="{{cellClass}}">{{cellText}}</td>{{/cells}}</tr>
    {{/rows}}
    </tbody>
    </table>
    {{#tableNote}}<p class="note">{{.}}</p>
    {{/tableNote}}
    </main>
    <footer>
    <p>CampaignSim sweep.html: self-contained, opens offline. Every figure of every point is in sweep.csv beside it.</p>
    </footer>
    </body>
    </html>

    """#
}
