//! Simulate a generated scenario (structure-aware: `arbitrary` builds layers, statements,
//! conditions and a request from realistic pools mixed with raw strings): no panic; an answer or
//! errors, never neither; an Allow never comes with a layer that explicitly denied.
#![no_main]
use iamscope_eval::{Decision, LayerOutcome, simulate_text};
use iamscope_fuzz::GenScenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|g: GenScenario| {
    let text = g.to_json();
    match simulate_text(&text) {
        Ok(r) => {
            if r.decision == Decision::Allow {
                assert!(
                    r.layers
                        .iter()
                        .all(|l| l.outcome != LayerOutcome::ExplicitDeny),
                    "Allow with an explicit deny: {text}"
                );
            }
            if r.layers
                .iter()
                .any(|l| l.outcome == LayerOutcome::ExplicitDeny)
            {
                assert_eq!(r.decision, Decision::ExplicitDeny, "{text}");
            }
        }
        Err(errors) => assert!(!errors.is_empty(), "an empty error list: {text}"),
    }
});
