"""What a message asks, decided once (Rasa-free): the calculation it names, the clause that
answers it, the pending question it answers, or an honest decline or a question back."""
