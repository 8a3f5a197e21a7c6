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
    from cite import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["status"] == "outdated"


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    from cite import create_app
    from tests.support.postgres import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing?connect_timeout=2"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["database"]["status"] == "error"


def test_healthz_reports_the_search_index_and_the_scheduler(app, client, db):
    from core.outbox import waiting
    from search.indexer import drain
    from tests.support.factories import make_record

    app.extensions["catalogue.search"].ensure_ready()
    body = client.get("/healthz").get_json()
    assert body["search"] == {"engine": "embedded", "status": "ok", "documents": 0, "waiting": 0,
                              "last_drain": None}
    assert body["scheduler"] == {"last_heartbeat": None}

    make_record(db)
    assert client.get("/healthz").get_json()["search"]["waiting"] == waiting(db) == 1
    drain(db, app.extensions["catalogue.search"])
    app.extensions.pop("catalogue.health.documents")  # the count is kept a few seconds
    search = client.get("/healthz").get_json()["search"]
    assert (search["documents"], search["waiting"]) == (1, 0)
    assert search["last_drain"] is not None


def test_a_search_cluster_that_is_down_is_reported_not_fatal(database_url, tmp_path):
    from cite import create_app
    from tests.support.postgres import free_port

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path),
                      "SEARCH_ENGINE": "elasticsearch", "SEARCH_URL": f"http://127.0.0.1:{free_port()}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200  # the staff can still catalogue
    search = response.get_json()["search"]
    assert search["status"] == "error" and search["engine"] == "elasticsearch" and search["waiting"] == 0
    app.extensions["catalogue.db"].dispose()
