from sqlalchemy import text


def test_database_is_migrated_and_reachable(client, db, backend):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["backend"] == backend
    with db.engine.connect() as conn:
        assert conn.execute(text("select count(*) from records")).scalar() == 0


def test_healthz_is_503_on_an_uninitialised_database(tmp_path):
    from catalogue import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["status"] == "outdated"


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    from catalogue import create_app
    from tests.support.postgres import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing?connect_timeout=2"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["database"]["status"] == "error"
