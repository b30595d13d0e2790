use super::*;
use crate::entities::scan;

fn act(text: &str) -> SpeechAct {
    let t = Text::new(text);
    let e = scan(&t.tokens);
    SpeechAct::of(&t, &e)
}

#[test]
fn reports_and_orders_may_log() {
    for s in [
        "I spent $42.50 on diesel yesterday",
        "Can you log the $29.95 I spent on a new phone charger",
        "KOA in Moab charged us $62 for the night",
        "groceries 67.20",
        "the hubby and I had brekkie at a little cafe in Daylesford, 38 bucks",
        "ok so the caravan park in Exmouth was $58 a night and we stayed two nights, so $116",
        "bulk billing wasn't on, so the GP in Esperance charged us $95",
        "Just bought a fishing licence, $35",
    ] {
        assert!(act(s).may_log_money(), "{s}: {:?}", act(s));
    }
    for s in ["Centrelink paid us 1,200 yesterday", "the tenants paid the rent, $2,480 for the month"] {
        assert!(act(s).may_log_income(), "{s}: {:?}", act(s));
    }
}

#[test]
fn questions_suppositions_denials_others_and_quotes_may_not() {
    for s in [
        "is $2.10 a litre expensive?",
        "the caravan park quoted us $55 a night",
        "diesel's $2.19 at the Shell",
        "should I spend $80 on a tow strap",
        "I'm going to buy a new battery for $400 next week",
        "Dave filled up with 80 litres at $2.20 in Cobar",
        "my mate spent $90 on a fishing rod",
        "my brother-in-law forked out $2,000 for a bull bar",
        "the Hendersons dropped US$400 at Cabela's in Cody",
        "the grey nomads across from us just bought a $12,000 solar setup",
        "I didn't buy the $60 esky after all",
        "hold off on logging the $95 until I find the receipt",
        "if we stay three nights at $45 that's 135, worth it?",
        "gas is $3.29 a gallon at the Flying J in Amarillo",
        "did I spend $50 at Coles yesterday?",
    ] {
        assert!(!act(s).may_log_money(), "{s}: {:?}", act(s));
    }
    assert!(!act("our son's paycheck was $3,100 this week").may_log_income());
    assert!(!act("Gary earned 600 fruit picking last week").may_log_income());
}

#[test]
fn statements_order_and_look_up_nothing() {
    for s in [
        "it rained all day in Hobart",
        "the timer dinged 10 minutes ago",
        "the ranger told us the Gibb opens on the 1st",
    ] {
        let a = act(s);
        assert!(!a.may_order() && !a.may_read(), "{s}: {a:?}");
    }
    for s in [
        "dentist tomorrow at 10am",
        "set a timer for 5 minutes",
        "we're thinking of doing Bourke to Longreach, plan it out",
    ] {
        assert!(act(s).may_order(), "{s}: {:?}", act(s));
    }
    assert!(act("Port Augusta up to Coober Pedy, how many k's is that").question);
    assert!(act("what does a powered site usually cost at a BIG4?").price_question);
    assert!(act("utilities - $25 a week for laundry").per_period);
    assert!(act("HOW DO I PUT SOMETHING IN THE CALENDAR").how_to);
}
