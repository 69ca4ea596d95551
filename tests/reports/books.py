"""A small set of books worked by hand, shared by the statement and cash-flow tests.

Financial year starts 1 July (the default). Cash accounts: Bank and Savings.

  2024-12-01  Bank +500 / Owner (capital)        2025-07-22  Food 30 from Bank
  2025-03-10  Salary 2000 into Bank              2025-08-01  Rent 1200 from Bank
  2025-03-12  Groceries 100 from Bank            2025-08-05  Bank -> Card 250 (repaid)
  2025-06-20  Salary 1000 into Bank              2025-08-10  Bank -> Savings 1000
  2025-07-15  Salary 3000 into Bank              2025-08-15  Loan drawn 5000 into Bank
  2025-07-16  Interest 10 into Savings
  2025-07-20  Groceries 200 on Card
  2025-07-21  Dining 50 on Card
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.reports.helpers import Ledger


def worked_books(client: TestClient) -> Ledger:
    books = Ledger(client)
    books.account("Bank", "asset", code="1-100", subtype="checking")
    books.account("Savings", "asset", code="1-200", subtype="savings")
    books.account("Card", "liability", code="2-100", subtype="credit_card")
    books.account("Loan", "liability", code="2-200", subtype="loan")
    books.account("Owner", "equity", code="3-100")
    books.account("Salary", "income", code="4-100")
    books.account("Interest", "income", code="4-200")
    books.account("Food", "expense", code="5-100")
    books.account("Groceries", "expense", code="5-110", parent="Food")
    books.account("Dining", "expense", code="5-120", parent="Food")
    books.account("Rent", "expense", code="5-200")
    books.journal("2024-12-01", ("Bank", "500.00"), ("Owner", "-500.00"))
    books.simple("2025-03-10", "income", "2000.00", "Bank", "Salary")
    books.simple("2025-03-12", "expense", "100.00", "Bank", "Groceries")
    books.simple("2025-06-20", "income", "1000.00", "Bank", "Salary")
    books.simple("2025-07-15", "income", "3000.00", "Bank", "Salary")
    books.simple("2025-07-16", "income", "10.00", "Savings", "Interest")
    books.simple("2025-07-20", "expense", "200.00", "Card", "Groceries")
    books.simple("2025-07-21", "expense", "50.00", "Card", "Dining")
    books.simple("2025-07-22", "expense", "30.00", "Bank", "Food")
    books.simple("2025-08-01", "expense", "1200.00", "Bank", "Rent")
    books.simple("2025-08-05", "transfer", "250.00", "Bank", "Card")
    books.simple("2025-08-10", "transfer", "1000.00", "Bank", "Savings")
    books.journal("2025-08-15", ("Bank", "5000.00"), ("Loan", "-5000.00"))
    return books
