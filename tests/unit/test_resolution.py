"""The buyer can close their own handoff; complaints are never closed by accident."""

import pytest

from connectors.mercadolibre.resolution import says_solved


@pytest.mark.parametrize("text", [
    "já resolvi, obrigado", "ja chegou aqui, valeu!", "pode fechar, problema resolvido",
    "nao preciso mais, obg", "ya lo resolvi gracias", "ya me llegó, gracias!", "problema resuelto",
    "ya no necesito nada, pueden cerrar",
])
def test_solved(text: str) -> None:
    assert says_solved(text)


@pytest.mark.parametrize("text", [
    "ainda nao resolveu nada", "nao chegou ainda", "todavia no me llego", "quando vai chegar?",
    "el producto llego roto", "aun no lo recibi", "obrigado", "",
])
def test_not_solved(text: str) -> None:
    assert not says_solved(text)
