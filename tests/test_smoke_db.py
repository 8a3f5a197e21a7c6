from sqlalchemy import text


def test_database_is_migrated_and_reachable(client, db, backend):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["backend"] == backend
    with db.engine.connect() as conn:
        assert conn.execute(text("select count(*) from records")).scalar() == 0
