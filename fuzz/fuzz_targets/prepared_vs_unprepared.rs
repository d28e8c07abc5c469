//! Differential: the prepared evaluator (statements indexed by action, `PreparedPolicySet::new`)
//! and the unprepared one (`simulate`, no index) give the same answer, trace included, for a
//! generated scenario.
#![no_main]
use iamscope_eval::{PreparedPolicySet, Scenario, simulate};
use iamscope_fuzz::GenScenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|g: GenScenario| {
    let text = g.to_json();
    let Ok(scenario) = Scenario::parse(&text) else {
        return;
    };
    let unprepared = simulate(&scenario);
    let prepared =
        PreparedPolicySet::new(&scenario.policies).and_then(|p| p.evaluate(&scenario.request));
    assert_eq!(
        unprepared, prepared,
        "prepared and unprepared disagree on {text}"
    );
});
