//! RIDB (Recreation.gov) client against a fake speaking its wire format.

use pam_geo::providers::{ApiKey, CampgroundProvider, Ridb};
use pam_geo::{RadiusKm, Source};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::helpers::{assert_network_failures_are_typed, at, endpoint, json};

const FACILITIES: &str = r#"{"RECDATA":[
{"FacilityID":"234059","LegacyFacilityID":"","OrgFacilityID":"","ParentOrgID":"128","ParentRecAreaID":"2573",
"FacilityName":"Devils Garden Campground","FacilityDescription":"<h2>Overview</h2><p>Campsites among the arches.</p>",
"FacilityTypeDescription":"Campground","FacilityUseFeeDescription":"","FacilityDirections":"",
"FacilityPhone":"435-719-2299","FacilityEmail":"","FacilityReservationURL":"","FacilityMapURL":"",
"FacilityAdaAccess":"","GEOJSON":{"TYPE":"Point","COORDINATES":[-109.6128,38.7784]},
"FacilityLongitude":-109.6128,"FacilityLatitude":38.7784,"Keywords":"","StayLimit":"","Reservable":true,
"Enabled":true,"LastUpdatedDate":"2023-06-01"},
{"FacilityID":"10004152","FacilityName":"Goose Island Campground","FacilityTypeDescription":"Campground",
"FacilityLongitude":-109.5681,"FacilityLatitude":38.6094,"Reservable":false,"FacilityPhone":" ",
"FacilityReservationURL":"https://www.recreation.gov/camping/campgrounds/10004152"},
{"FacilityID":"99","FacilityName":"Somewhere Unmapped","FacilityLongitude":0,"FacilityLatitude":0}],
"METADATA":{"RESULTS":{"CURRENT_COUNT":3,"TOTAL_COUNT":3},"SEARCH_PARAMETERS":{"QUERY":"","LIMIT":50,"OFFSET":0}}}"#;

fn key() -> ApiKey {
    ApiKey::new("ridb-test-key").unwrap()
}

#[tokio::test]
async fn facilities_are_parsed_nearest_first_with_the_key_in_a_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/facilities"))
        .and(query_param("latitude", "38.5733"))
        .and(query_param("longitude", "-109.5498"))
        .and(query_param("radius", "31.1"))
        .and(query_param("activity", "CAMPING"))
        .and(header("apikey", "ridb-test-key"))
        .respond_with(json(FACILITIES))
        .expect(1)
        .mount(&server)
        .await;
    let client = Ridb::new(reqwest::Client::new(), endpoint(&server), key());

    let found = client.campgrounds_near(at(38.5733, -109.5498), RadiusKm::new(50.0).unwrap()).await.unwrap();

    assert_eq!(found.source, Source::Ridb);
    let names: Vec<&str> = found.campgrounds.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Goose Island Campground", "Devils Garden Campground", "Somewhere Unmapped"]);
    let goose = &found.campgrounds[0];
    assert_eq!(goose.reservable, Some(false));
    assert_eq!(goose.phone, None, "blank phone is no phone");
    assert!(goose.distance_km.unwrap() < 5.0, "{:?}", goose.distance_km);
    let devils = &found.campgrounds[1];
    assert_eq!(devils.id, "234059");
    assert_eq!(devils.kind.as_deref(), Some("Campground"));
    assert_eq!(devils.phone.as_deref(), Some("435-719-2299"));
    let unmapped = &found.campgrounds[2];
    assert_eq!((unmapped.coordinates, unmapped.distance_km), (None, None), "0,0 means no position");
}

#[tokio::test]
async fn network_failures_are_typed() {
    assert_network_failures_are_typed("/api/v1/facilities", FACILITIES, |endpoint| async move {
        Ridb::new(reqwest::Client::new(), endpoint, key())
            .campgrounds_near(at(38.57, -109.55), RadiusKm::new(50.0).unwrap())
            .await
    })
    .await;
}
