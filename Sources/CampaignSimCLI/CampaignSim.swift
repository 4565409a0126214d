import ArgumentParser
import CJemalloc

@main
struct CampaignSim: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "campaign-sim",
    abstract: "A deterministic discrete-event simulator of WhatsApp campaign messaging.",
    discussion: """
      Write a scenario file (YAML or JSON, see docs/scenario.md), run millions of simulated \
      messages in seconds, read the report. Same scenario and seed, same report bytes.

      Examples:
        campaign-sim run Scenarios/quickstart.yaml
        campaign-sim run Scenarios/million.yaml --out /tmp/million --seed 7
        campaign-sim validate Scenarios/*.yaml
        campaign-sim explain Scenarios/quickstart.yaml --campaign promo --message 17
        campaign-sim compare Reports/baselines/quickstart.json \\
            Reports/quickstart/report.json
        campaign-sim sweep Scenarios/capacity-tiers.yaml
        campaign-sim sweep Scenarios/capacity-tiers.yaml --shard 2/7 --out parts
        campaign-sim merge parts/partial-*-of-7.json \\
            --out Reports/capacity-tiers/sweep
        campaign-sim serve spring-load.yaml --skip-verify
        campaign-sim bench --save bench.json

      Shell completions: campaign-sim --generate-completion-script bash|zsh|fish (see the README).
      """,
    version: campaignSimVersion,
    subcommands: [
      Run.self, Explain.self, Validate.self, CompareCommand.self, SweepCommand.self, MergeCommand.self, Bench.self,
      Serve.self, Sink.self,
    ]
  )
}
