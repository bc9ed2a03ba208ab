def test_dialog_page_renders(client, dialog):
    response = client.get(dialog.url)
    assert response.status_code == 200
    assert dialog.question in response.content.decode()


def test_index_renders(client, dialog_index, dialog):
    response = client.get(dialog_index.url)
    assert response.status_code == 200
    assert dialog.title in response.content.decode()
